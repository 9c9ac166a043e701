/**
 * The running playground, recorded in .cache/playground/state.json so other commands find it: `smoke`/`diagnose`
 * (the URL, and whether it serves what the live objects say), and `playground -- stop` (the PIDs to end). Every
 * PID is stored with its start time, so a PID the system reused for someone else's process is never signalled.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../fixes/engine/backup';
import type { ControlPlaneState } from '../k8s/control-plane';
import { cacheDir } from '../paths';
import { pidAlive, startTime } from '../os/process';

export const playgroundDir = path.join(cacheDir, 'playground');
export const stateFile = path.join(playgroundDir, 'state.json');
/** A stable path for the control plane's admin kubeconfig: the README's `export KUBECONFIG=…` never changes. */
export const playgroundKubeconfig = path.join(playgroundDir, 'kubeconfig');

export interface RecordedProcess {
  pid: number;
  start: string | undefined;
  name: string;
}

export interface PlaygroundState {
  /** The playground's own Node process. */
  process: RecordedProcess;
  /** The front door: the URL that stays the same while topologies are replaced. */
  url: string;
  appUrl: string;
  kubeconfig: string;
  namespace: string;
  /** What was installed: a set name or a folder. */
  manifests: string;
  /** JSON of the topology settings the traffic follows now (what smoke/diagnose wait for). */
  served: string;
  controlPlane: ControlPlaneState;
  /** The current topology's processes (nginx, mock Theia). */
  topology: RecordedProcess[];
  startedAt: string;
}

export function recordProcess(pid: number, name: string): RecordedProcess {
  return { pid, start: startTime(pid), name };
}

/**
 * Still the process we recorded (same PID and start time) and not a zombie: a SIGKILLed child of a dead playground
 * stays in /proc until init reaps it, and it runs nothing.
 */
export function isRunning(p: RecordedProcess): boolean {
  return p.start !== undefined && startTime(p.pid) === p.start && pidAlive(p.pid);
}

export function readState(): PlaygroundState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as PlaygroundState;
  } catch {
    return undefined; // a state file half-written by a crash: as if none
  }
}

export function writeState(state: PlaygroundState): void {
  writeJsonAtomic(stateFile, state);
}

export function removeState(): void {
  rmSync(stateFile, { force: true });
  rmSync(playgroundKubeconfig, { force: true });
}
