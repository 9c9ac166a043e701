/**
 * What the suite asks the OS about a process, in one place with one meaning each:
 *   alive      the PID exists and is not a zombie (EPERM counts as existing: the kernel says it is there)
 *   runs       /proc says the PID runs a given program (guards every signal against a recycled PID)
 *   endGroup   SIGTERM the process group, wait with a deadline, SIGKILL, wait again, or throw
 * Used by the topology's children, the control plane, the private Docker engine, kind and the fix journal.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The PID exists and is not a zombie. A not-yet-reaped zombie still answers kill(pid, 0): it is not alive. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: no such process
  }
  const state = procState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** The one-letter state of /proc/<pid>/stat (R, S, D, Z, …), undefined when the PID is gone. */
function procState(pid: number): string | undefined {
  const stat = readStat(pid);
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

function readStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). A PID and its start time name
 * one process for good: a recycled PID has another start time.
 */
export function startTime(pid: number): string | undefined {
  const stat = readStat(pid);
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** The process's argv from /proc ([] when gone). */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return [];
  }
}

/** argv joined with spaces ('' when gone), for "does its command line mention …" questions. */
export function commandLineText(pid: number): string {
  return commandLine(pid).join(' ');
}

/** Alive and its argv[0] is `program` (a PID recycled for something else is not ours to signal). */
export function pidRuns(pid: number, program: string): boolean {
  return pidAlive(pid) && commandLine(pid)[0] === program;
}

/** PIDs (other than this one) whose command line contains `needle`. */
export function pidsMatching(needle: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => pid !== process.pid && commandLineText(pid).includes(needle));
}

/** Signal the process group led by pid (falls back to the PID alone when it leads no group). Never throws. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    signalPid(pid, signal);
  }
}

/** Signal one PID. Never throws: a process that is gone needs no signal. */
export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* ESRCH: gone */
  }
}

export interface EndOptions {
  /** How long SIGTERM gets before SIGKILL (ms). */
  graceMs: number;
  /** How long to wait after SIGKILL before giving up with an error (ms). */
  killWaitMs?: number;
  /** Signal the whole process group (default) or the PID alone (a daemon that stops its own children). */
  scope?: 'group' | 'pid';
}

/**
 * SIGTERM, wait up to graceMs for the leader to end, SIGKILL, wait up to killWaitMs; throws if it still runs.
 * With scope 'group', a last SIGKILL reaches whatever of the group outlived its leader (nginx workers).
 */
export async function endProcess(pid: number, opts: EndOptions): Promise<void> {
  const send = opts.scope === 'pid' ? signalPid : signalGroup;
  if (pidAlive(pid)) {
    send(pid, 'SIGTERM');
    if (!(await waitUntilGone(pid, opts.graceMs))) {
      send(pid, 'SIGKILL');
      if (!(await waitUntilGone(pid, opts.killWaitMs ?? 5000))) {
        throw new Error(`process ${pid} (${commandLine(pid)[0] ?? '?'}) did not exit after SIGKILL`);
      }
    }
  }
  if (opts.scope !== 'pid') signalGroup(pid, 'SIGKILL');
}

/** Polls until pid is no longer alive; false when deadlineMs passed first. */
export async function waitUntilGone(pid: number, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (pidAlive(pid)) {
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
