/**
 * `npm run playground -- stop`: ends the playground recorded in the state file. A running one gets SIGTERM and
 * stops everything itself (as on Ctrl-C); this waits for it. One that died without cleaning up (SIGKILL, a crash)
 * leaves processes behind: those recorded with the same PID AND start time (or, for the control plane, the same
 * binary) are ended here, nothing else.
 */
import { stopControlPlaneState } from '../k8s/control-plane';
import { isRunning, readState, removeState, stateFile } from './state';

const WAIT_MS = 30_000;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

export async function stopPlayground(say: (line: string) => void): Promise<number> {
  const state = readState();
  if (!state) {
    say(`no playground runs (no ${stateFile}): nothing to stop`);
    return 0;
  }
  const { pid } = state.process;
  if (isRunning(state.process)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + WAIT_MS;
    while (isRunning(state.process) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isRunning(state.process)) {
      say(`the playground (pid ${pid}) did not stop within ${WAIT_MS / 1000} s`);
      return 1;
    }
    if (!readState()) {
      say(`stopped the playground (pid ${pid}): ${state.appUrl} and its control plane are gone`);
      return 0;
    }
  }
  const left = state.topology.filter(isRunning);
  for (const p of left) killGroup(p.pid);
  await stopControlPlaneState(state.controlPlane);
  removeState();
  say(`the playground (pid ${pid}) had ended without cleaning up: ended ${left.length} topology process(es) and control plane ${state.controlPlane.id}, removed its state`);
  return 0;
}
