/**
 * A deliberately failing run, used by tests/unit/no-leftovers.spec.ts to prove that a failed test still ends
 * every process the suite started. Never part of a normal run.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: 'failing-run.spec.ts',
  outputDir: process.env.SOCKETPROOF_LEFTOVERS_OUT ?? '/tmp/socketproof-leftovers',
  reporter: [['line']],
  retries: 0,
  workers: 1,
  globalTeardown: '../../fixtures/global-teardown.ts',
});
