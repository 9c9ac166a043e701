/**
 * `npm run playground -- stop`: ends the playground recorded in the state file. A running one gets SIGTERM and
 * stops everything itself (as on Ctrl-C); this waits for it. One that died without cleaning up (SIGKILL, a crash)
 * leaves processes behind: those recorded with the same PID AND start time (or, for the control plane, the same
 * binary) are ended here, nothing else — and this returns only once they are gone, so "stopped" is a fact.
 */
import { stopControlPlaneState } from '../k8s/control-plane';
import { signalGroup } from '../os/process';
import { isRunning, type RecordedProcess, readState, removeState, stateFile } from './state';

const WAIT_MS = 30_000;
/** nginx and the mock Theia end on SIGTERM in well under a second; SIGKILL after this. */
const GRACE_MS = 3_000;

function killGroupOnly(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is empty
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until none of `procs` runs; the ones still running when `ms` has passed. */
async function waitForEnd(procs: RecordedProcess[], ms: number): Promise<RecordedProcess[]> {
  const until = Date.now() + ms;
  let left = procs.filter(isRunning);
  while (left.length > 0 && Date.now() < until) {
    await sleep(50);
    left = left.filter(isRunning);
  }
  return left;
}

/**
 * Ends the recorded topology processes, each the leader of its own group (nginx workers live in the master's):
 * SIGTERM, a grace period, SIGKILL, then a wait until each is gone. Signals go only to processes that are still
 * the recorded ones (PID + start time), so a recycled PID is never touched. Returns what still runs.
 */
async function endLeftovers(left: RecordedProcess[]): Promise<RecordedProcess[]> {
  for (const p of left) signalGroup(p.pid, 'SIGTERM');
  const stubborn = await waitForEnd(left, GRACE_MS);
  for (const p of stubborn) signalGroup(p.pid, 'SIGKILL');
  // Group members that outlived their leader get the KILL as well. By the group only: a group's ID is never handed
  // out as a PID while a member lives, whereas the leader's PID may already be someone else's.
  for (const p of left) if (!stubborn.includes(p)) killGroupOnly(p.pid);
  return waitForEnd(stubborn, 10_000);
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
    if ((await waitForEnd([state.process], WAIT_MS)).length > 0) {
      say(`the playground (pid ${pid}) did not stop within ${WAIT_MS / 1000} s`);
      return 1;
    }
    if (!readState()) {
      say(`stopped the playground (pid ${pid}): ${state.appUrl} and its control plane are gone`);
      return 0;
    }
  }
  const left = state.topology.filter(isRunning);
  const survivors = await endLeftovers(left);
  if (survivors.length > 0) {
    say(`the playground (pid ${pid}) had ended without cleaning up; ${survivors.length} of its topology processes still run after SIGKILL (pids ${survivors.map((p) => p.pid).join(', ')}): state kept in ${stateFile}`);
    return 1;
  }
  await stopControlPlaneState(state.controlPlane);
  removeState();
  say(`the playground (pid ${pid}) had ended without cleaning up: ended ${left.length} topology process(es) and control plane ${state.controlPlane.id}, removed its state`);
  return 0;
}
