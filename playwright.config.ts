/**
 * Projects are derived from the target files: one project per target (its tests filtered to the (check, hop)
 * pairs the target exposes), plus the fault self-tests and the unit tests. With no flag, only the local target
 * runs (the main job); `--project=<target>` or SOCKETPROOF_TARGET=<target> selects another, and `npm test` names
 * `local`, `selftest` and `unit`.
 */
import { existsSync, rmSync } from 'node:fs';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { projectGrep } from './fixtures/hops';
import { allureCategories, allureEnvironment } from './src/report/allure-config';
import { listTargets, loadTarget } from './src/targets/load';

// Decided once in the runner and inherited by the workers through the environment: the workers' argv has no
// --project, and every process must see the same list of projects.
const named = process.argv.some((a) => a === '--project' || a.startsWith('--project='));
process.env.SOCKETPROOF_TARGETS ??= process.env.SOCKETPROOF_TARGET ?? (named ? listTargets().join(',') : 'local');
// The self-tests and unit tests are projects of their own, run by `npm test` (which names them).
process.env.SOCKETPROOF_WITH_SELF_TESTS ??= named ? '1' : '0';
const targets = process.env.SOCKETPROOF_TARGETS.split(',').filter(Boolean);
const selfTestProjects: NonNullable<PlaywrightTestConfig['projects']> =
  process.env.SOCKETPROOF_WITH_SELF_TESTS === '1'
    ? [
        { name: 'selftest', testMatch: 'self/**/*.spec.ts' },
        { name: 'unit', testMatch: 'unit/**/*.spec.ts' },
      ]
    : [];
for (const t of targets) loadTarget(t); // an invalid target file fails here, with the field and the reason

// Old Allure results would show up as retries of this run's tests. Only the runner cleans (workers load this file
// too), and before the reporters start writing. SOCKETPROOF_KEEP_ALLURE_RESULTS=1 keeps them (e.g. to merge runs).
if (process.env.TEST_WORKER_INDEX === undefined && !process.env.SOCKETPROOF_KEEP_ALLURE_RESULTS) {
  rmSync('reports/allure-results', { recursive: true, force: true });
}

const debianChromium = '/usr/lib/chromium/chromium';
const executablePath = process.env.SOCKETPROOF_CHROMIUM ?? (existsSync(debianChromium) ? debianChromium : undefined);

const targetProjects: NonNullable<PlaywrightTestConfig['projects']> = targets.map((name) => ({
  name,
  testMatch: ['traffic/**/*.spec.ts', 'browser/**/*.spec.ts'],
  grep: projectGrep(name),
  use: { targetName: name } as object,
}));

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // An intermittent failure is a failure: a missing affinity fails 25–45 % of requests, never "flaky".
  retries: 0,
  workers: 2,
  timeout: 30_000,
  globalTeardown: './fixtures/global-teardown.ts',
  reporter: [
    ['list'],
    ['html', { outputFolder: 'reports/html', open: 'never' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    [
      'allure-playwright',
      {
        resultsDir: 'reports/allure-results',
        detail: false,
        categories: allureCategories(),
        environmentInfo: allureEnvironment(targets),
      },
    ],
  ],
  use: {
    launchOptions: { executablePath, args: ['--disable-quic'] },
    screenshot: 'only-on-failure',
    // Traces record request headers and cookies: only on the local targets, whose tokens are throwaway.
    trace: 'off',
  },
  projects: [...targetProjects, ...selfTestProjects],
});
