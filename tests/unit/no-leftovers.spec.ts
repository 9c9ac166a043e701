/**
 * Nothing the suite starts survives it, even after a failing test: run a deliberately failing Playwright run
 * that brings the topology up, then check every PID it recorded is gone.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';
import { freshRunEnv } from '../../src/runner-env';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a failing test still ends every nginx and Theia process it started', async () => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-leftovers-'));
  const pidsFile = path.join(dir, 'pids.json');
  const run = await $({
    nothrow: true,
    quiet: true,
    env: freshRunEnv({ SOCKETPROOF_LEFTOVERS_PIDS: pidsFile, SOCKETPROOF_LEFTOVERS_OUT: path.join(dir, 'out') }),
  })`npx playwright test -c tests/leftovers/playwright.config.ts`;
  expect(run.exitCode, 'the inner run must fail: it is built to').toBe(1);
  expect(run.stdout).toContain('this run fails on purpose');
  const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
  expect(pids.length, 'the topology had processes (2 Theia + 3 nginx at least)').toBeGreaterThanOrEqual(5);
  expect(pids.filter(alive), 'processes left running after the failed run').toEqual([]);
});
