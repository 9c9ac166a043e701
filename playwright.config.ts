/**
 * Projects are derived from the target files: one project per target (its tests filtered to the (check, hop)
 * pairs the target exposes), plus the fault self-tests and the unit tests. With no flag, only the local target
 * runs (the main job); `--project=<target>` or SOCKETPROOF_TARGET=<target> selects another, and `npm test` names
 * `local`, `selftest`, `unit` and `cluster`.
 */
import { rmSync } from 'node:fs';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { projectGrep } from './fixtures/hops';
import { allureCategories, allureEnvironment } from './src/report/allure-config';
import { clusterNotice } from './fixtures/cluster';
import { chromiumExecutable } from './src/browser/chromium';
import { headersFromEnv } from './src/runtime/open';
import { certificatesDir } from './src/runtime/embedded-settings';
import { proxyFromEnv } from './src/probes/network';
import { authHeaders, listTargets, loadTarget, TargetError } from './src/targets/load';
import { runNotices } from './src/targets/run-notices';
import { browserNetwork } from './src/tls/browser-launch';
import { kindProjects, withKindCluster } from './src/kind/projects';
import { userLbConfigProblem, userPodConfigProblem } from './src/topology/user-config-check';

// Decided once in the runner and inherited by the workers through the environment: the workers' argv has no
// --project, and every process must see the same list of projects.
// SOCKETPROOF_REPORTS_DIR: where reports go (a nested run, e.g. the smoke self-tests, must not overwrite ours).
const reportsDir = process.env.SOCKETPROOF_REPORTS_DIR ?? 'reports';

/** The values of every `--project` flag (`--project x`, `--project=x`). */
function namedProjects(argv: string[]): string[] {
  const names: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1]) names.push(argv[i + 1] as string);
    else if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
  });
  return names;
}

const named = namedProjects(process.argv);
const knownTargets = listTargets();
process.env.SOCKETPROOF_TARGETS ??=
  process.env.SOCKETPROOF_TARGET ?? (named.length > 0 ? named.filter((n) => knownTargets.includes(n)).join(',') : 'local');
// The self-tests and unit tests are projects of their own, run by `npm test` (which names them).
process.env.SOCKETPROOF_WITH_SELF_TESTS ??= named.some((n) => ['selftest', 'unit', 'lint', 'cluster'].includes(n)) ? '1' : '0';
const targets = process.env.SOCKETPROOF_TARGETS.split(',').filter(Boolean);
const selfTestProjects: NonNullable<PlaywrightTestConfig['projects']> =
  process.env.SOCKETPROOF_WITH_SELF_TESTS === '1'
    ? [
        { name: 'selftest', testMatch: 'self/**/*.spec.ts' },
        { name: 'unit', testMatch: 'unit/**/*.spec.ts' },
        // Manifests and nginx configs read before deploying (npm run lint): rules, positions, formats, suppression.
        { name: 'lint', testMatch: 'lint/**/*.spec.ts' },
        // Manifests, fixes and cluster checks against a local kube-apiserver (fixtures/cluster.ts), or the files.
        { name: 'cluster', testMatch: 'cluster/**/*.spec.ts' },
      ]
    : [];

// Old Allure results would show up as retries of this run's tests. Only the runner cleans (workers load this file
// too), and before the reporters start writing. SOCKETPROOF_KEEP_ALLURE_RESULTS=1 keeps them (e.g. to merge runs).
if (process.env.TEST_WORKER_INDEX === undefined && !process.env.SOCKETPROOF_KEEP_ALLURE_RESULTS) {
  rmSync(`${reportsDir}/allure-results`, { recursive: true, force: true });
}

// Without a control plane the cluster checks read the manifest files: said once, here, by the runner.
if (process.env.TEST_WORKER_INDEX === undefined && named.includes('cluster')) {
  const notice = clusterNotice();
  if (notice) console.log(notice);
}

// A user's own pod or load-balancer nginx config that nginx refuses, or an LB config that names no pods: one line
// with the reason and the user's line, before any test starts.
for (const [name, problemOf] of [
  ['SOCKETPROOF_POD_NGINX_CONF', userPodConfigProblem],
  ['SOCKETPROOF_LB_NGINX_CONF', userLbConfigProblem],
] as const) {
  const file = process.env[name];
  const problem = process.env.TEST_WORKER_INDEX === undefined && file ? problemOf(file) : undefined;
  if (problem) {
    console.error(`socketproof: ${name} ${problem}`);
    process.exit(2);
  }
}

const executablePath = chromiumExecutable();

const proxy = proxyFromEnv();
const runner = process.env.TEST_WORKER_INDEX === undefined;

/**
 * Browser settings a target needs: its auth headers, and the trust the Node clients have too (the embedded HTTPS
 * target's CA and name, SOCKETPROOF_CA_FILE for any target).
 */
function browserUse(name: string): PlaywrightTestConfig['use'] {
  const target = loadTarget(name);
  // Certificates and the NSS database are made once, by the runner, before any worker starts a browser.
  const net = browserNetwork(target, { dir: certificatesDir, make: runner });
  const args = ['--disable-quic', ...net.args];
  const env = net.env;
  return {
    targetName: name,
    // The browser sends what the probes send: SOCKETPROOF_HEADER_* and the target's auth (from the environment).
    extraHTTPHeaders: { ...headersFromEnv(), ...(target.kind === 'remote' ? authHeaders(target) : {}) },
    launchOptions: { executablePath, args, env },
  } as PlaywrightTestConfig['use'];
}

function targetProjects(): NonNullable<PlaywrightTestConfig['projects']> {
  try {
    // An optional secret that is absent (an auth header, the target cluster's kubeconfig): said once, by the runner.
    if (runner) for (const name of targets) for (const notice of runNotices(loadTarget(name))) console.log(notice);
    return targets.map((name) => ({
      name: loadTarget(name).name,
      testMatch: ['traffic/**/*.spec.ts', 'browser/**/*.spec.ts', 'target-cluster/**/*.spec.ts'],
      grep: projectGrep(name),
      use: browserUse(name),
    }));
  } catch (error) {
    // An invalid target file or a missing secret: one line, before anything starts.
    if (error instanceof TargetError) {
      console.error(`socketproof: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

export default defineConfig({
  testDir: './tests',
  outputDir: `${reportsDir === 'reports' ? '.' : reportsDir}/test-results`,
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // An intermittent failure is a failure: a missing affinity fails 25–45 % of requests, never "flaky".
  retries: 0,
  workers: 2,
  timeout: 30_000,
  globalTeardown: './fixtures/global-teardown.ts',
  reporter: [
    ['list'],
    ['html', { outputFolder: `${reportsDir}/html`, open: 'never' }],
    ['junit', { outputFile: `${reportsDir}/junit.xml` }],
    [
      'allure-playwright',
      {
        resultsDir: `${reportsDir}/allure-results`,
        detail: false,
        categories: allureCategories(),
        environmentInfo: allureEnvironment(targets),
      },
    ],
  ],
  use: {
    launchOptions: { executablePath, args: ['--disable-quic'] },
    // HTTPS_PROXY/NO_PROXY reach Chromium too; `<-loopback>` lets a proxy on this machine see loopback targets.
    proxy: proxy ? { server: proxy.url, bypass: [...proxy.noProxy, '<-loopback>'].join(',') } : undefined,
    screenshot: 'only-on-failure',
    // Traces record request headers and cookies, which redaction cannot reach: off, unless asked for while
    // debugging a local target (SOCKETPROOF_TRACE=1). Screenshots carry no headers.
    trace: process.env.SOCKETPROOF_TRACE === '1' ? 'retain-on-failure' : 'off',
  },
  // kind: the cluster comes up in a setup project; kind-containers / kind-faults when named (src/kind/projects.ts).
  projects: [...withKindCluster(targetProjects()), ...selfTestProjects, ...kindProjects(named, targets)],
});
