/**
 * src/os/process.ts: one meaning of "alive" (exists, not a zombie) and ending a process group with a deadline,
 * tried on real processes (sh, sleep) rather than mocks of process.kill.
 */
import { spawn } from 'node:child_process';
import { expect, test } from '../../fixtures/base';
import { commandLine, endProcess, pidAlive, pidRuns, pidsMatching, startTime, waitUntilGone } from '../../src/os/process';

/** Starts `sh -c script` in its own process group; resolves with its PID and the first line it prints. */
async function shell(script: string): Promise<{ pid: number; firstLine: string }> {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const firstLine = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).split('\n')[0] ?? '')));
  child.unref();
  return { pid: child.pid ?? -1, firstLine };
}

test('this process is alive, runs node, and has a start time', () => {
  expect(pidAlive(process.pid)).toBe(true);
  expect(pidRuns(process.pid, process.execPath) || commandLine(process.pid)[0]?.endsWith('node')).toBe(true);
  expect(startTime(process.pid)).toMatch(/^\d+$/);
});

test('a PID that does not exist, or nonsense, is not alive', () => {
  expect(pidAlive(2 ** 22 + 1)).toBe(false); // above pid_max's ceiling: cannot exist
  expect(pidAlive(0)).toBe(false);
  expect(pidAlive(-1)).toBe(false);
  expect(commandLine(2 ** 22 + 1)).toEqual([]);
});

test('a zombie is not alive, although kill(pid, 0) still answers for it', async () => {
  // `true &` exits at once; its parent then execs sleep, which never reaps it: a zombie until sleep ends.
  const { pid: parent, firstLine } = await shell('true & echo $!; exec sleep 30');
  const zombie = Number(firstLine);
  try {
    await expect.poll(() => {
      try {
        process.kill(zombie, 0);
        return pidAlive(zombie) ? 'alive' : 'zombie seen as gone';
      } catch {
        return 'kill(0) failed';
      }
    }).toBe('zombie seen as gone');
  } finally {
    await endProcess(parent, { graceMs: 2000 });
  }
});

test('endProcess ends the whole group, with SIGKILL for a leader that ignores SIGTERM', async () => {
  // The leader ignores TERM; its background child is in the same group and must not outlive it.
  const { pid, firstLine } = await shell('trap "" TERM; sleep 30 & echo $!; wait');
  const child = Number(firstLine);
  expect(pidAlive(pid) && pidAlive(child)).toBe(true);
  expect(pidsMatching('trap "" TERM')).toContain(pid);
  await endProcess(pid, { graceMs: 300 });
  expect(pidAlive(pid)).toBe(false);
  expect(await waitUntilGone(child, 2000)).toBe(true);
});

test('endProcess on a PID that is already gone returns at once', async () => {
  const started = Date.now();
  await endProcess(2 ** 22 + 1, { graceMs: 10_000 });
  expect(Date.now() - started).toBeLessThan(1000);
});

test('pidRuns refuses a PID that runs another program (a recycled PID is never signalled)', async () => {
  const { pid } = await shell('echo up; exec sleep 30');
  try {
    await expect.poll(() => commandLine(pid)[0]).toBe('sleep');
    expect(pidRuns(pid, 'sleep')).toBe(true);
    expect(pidRuns(pid, '/usr/local/bin/kube-apiserver')).toBe(false);
  } finally {
    await endProcess(pid, { graceMs: 2000 });
  }
});
