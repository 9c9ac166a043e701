/**
 * The control plane's two child processes and the OS: ending one (only if the PID still runs the binary we
 * started: a recycled PID is left alone), and killing what is left when this Node process exits.
 * The process primitives themselves live in src/os/process.ts.
 */
import { endProcess, pidRuns, signalGroup } from '../../os/process';
import type { ControlPlane } from './types';

/** TERM the process group, wait up to graceMs, then KILL it and wait again (throws if it still runs). */
export async function killGroup(pid: number, binary: string, graceMs = 10_000): Promise<void> {
  if (!pidRuns(pid, binary)) return;
  await endProcess(pid, { graceMs, killWaitMs: 5000 });
}

const live = new Set<ControlPlane>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cp of live) for (const pid of cp.pids) signalGroup(pid, 'SIGKILL');
  });
}

/** Kills cp's process groups if this Node process exits before cp.stop() (not for persistent starts). */
export function killOnExit(cp: ControlPlane): void {
  live.add(cp);
  installExitHook();
}

/** cp was stopped: nothing left to kill on exit. */
export function forgetOnExit(cp: ControlPlane): void {
  live.delete(cp);
}
