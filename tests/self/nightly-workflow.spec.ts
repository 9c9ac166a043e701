/**
 * The nightly workflow, run as GitHub runs it: the `smoke` step of .github/workflows/nightly.yml read from the file
 * (its env block evaluated from the repository's secrets, its run script in the runner's default shell), against a
 * local deployment shaped like production (the embedded topology with Theia's real ping values, served at /theia/),
 * with targets/production.yaml unchanged.
 *   - without the kubeconfig secret (and without the authorization one): green; the output and the Allure results
 *     say, once, that the cluster checks were not run and why, and that no Authorization header was sent;
 *   - with a read-only kubeconfig for a local API server holding the healthy manifests, under production's context
 *     name: the connection test and the cluster checks run, and pass; no secret reaches the output or the reports.
 * What this run has that a hosted runner's has not, and why: SOCKETPROOF_REPORTS_DIR (its reports stay out of ours),
 * HOME (a fresh runner has no ~/.kube/config, and neither must this run), RUNNER_TEMP (the runner's job temp dir),
 * no npm update check (a fresh HOME would print one).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse, stringify } from 'yaml';
import { $ } from 'zx';
import { clusterTest as test, expect, labelTest } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { applicablePairs } from '../../src/checks/registry';
import { clusterCheckIds } from '../../src/cluster/registry';
import { freshRunEnv } from '../../src/runner-env';
import { projectRoot } from '../../src/paths';
import { loadTarget } from '../../src/targets/load';
import type { Target } from '../../src/targets/target';
import { healthySettings } from '../../src/topology/defaults';
import { startTopology } from '../../src/topology/topology';
import { filesContaining } from './generated-files';
import { workflowStep } from './workflow-step';

const workflowFile = path.join(projectRoot, '.github/workflows/nightly.yml');
// The step's target when the schedule starts it (no workflow_dispatch input): `inputs.target || 'production'`.
const production = loadTarget('production');

/** Playwright's test timeout in playwright.config.ts: the cluster tests run under it. */
const DEFAULT_TEST_TIMEOUT_MS = 30_000;
/** The nested run's workers (playwright.config.ts). */
const NESTED_WORKERS = 2;
/** npm, tsx and Playwright starting (the script, then the smoke), the topology, allure generate: ~25 s measured. */
const STARTUP_MS = 60_000;

/**
 * The nested run ends on its own timeouts, each derived from the target (src/checks/budget.ts): this test's
 * timeout is the longest that run can take, so it never cuts the run short and loses its diagnosis. Playwright's
 * workers take the next test when free (list scheduling): W workers finish within sum/W + (1 - 1/W) × the longest.
 */
function nightlyRunTimeoutMs(target: Target, clusterTests: number): number {
  const tests = [
    ...applicablePairs(target).map((p) => checkTimeoutMs(target, p.check)),
    ...Array<number>(clusterTests).fill(DEFAULT_TEST_TIMEOUT_MS),
  ];
  const sum = tests.reduce((a, b) => a + b, 0);
  return Math.ceil(sum / NESTED_WORKERS + (1 - 1 / NESTED_WORKERS) * Math.max(...tests)) + STARTUP_MS;
}

interface NightlyRun {
  exitCode: number;
  out: string;
  reports: string;
  runnerTemp: string;
}

/** The workflow's smoke step, with these repository secrets (an unset one is "", as GitHub hands it over). */
async function runNightlyStep(secrets: Record<string, string>): Promise<NightlyRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-nightly-test-'));
  const [reports, home, runnerTemp] = ['reports', 'home', 'runner-temp'].map((d) => path.join(dir, d)) as [string, string, string];
  for (const d of [home, runnerTemp]) mkdirSync(d);
  const sha = execSync('git rev-parse HEAD', { cwd: projectRoot }).toString().trim();
  const step = workflowStep(workflowFile, 'smoke', 'smoke', {
    secrets,
    inputs: {},
    github: { server_url: 'https://github.com', repository: 'example/socketproof', sha },
  });
  // A hosted runner has none of the suite's variables, nor a KUBECONFIG: only what the step's env block sets.
  const ours = Object.keys(process.env).filter((k) => (k.startsWith('SOCKETPROOF_') && k !== 'SOCKETPROOF_CHROMIUM') || k === 'KUBECONFIG');
  const env = freshRunEnv(
    {
      ...step.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: runnerTemp,
      HOME: home,
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      SOCKETPROOF_REPORTS_DIR: reports,
    },
    ours,
  );
  const [shell, ...args] = step.shell;
  const run = await $({ nothrow: true, quiet: true, cwd: projectRoot, env })`${shell} ${args} ${step.run}`;
  // Playwright's colour escapes (a worker's FORCE_COLOR reaches the nested run) would split the lines matched below.
  return { exitCode: run.exitCode ?? -1, out: stripVTControlCharacters(run.stdout + run.stderr), reports, runnerTemp };
}

interface AllureResult {
  name: string;
  status: string;
  statusDetails?: { message?: string };
  labels: { name: string; value: string }[];
}

function allureResults(reports: string): AllureResult[] {
  const dir = path.join(reports, 'allure-results');
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as AllureResult);
}

const label = (r: AllureResult, name: string) => r.labels.find((l) => l.name === name)?.value;

/** The production-shaped local deployment: Theia's real timers, the app at /theia/, behind the LB hop. */
async function withProductionShapedDeployment<T>(fn: (lbUrl: string) => Promise<T>): Promise<T> {
  const topology = await startTopology(healthySettings({ theia: { pingInterval: 30_000, pingTimeout: 60_000 } }));
  try {
    return await fn(topology.lbUrl);
  } finally {
    await topology.stop();
  }
}

const trafficTests = applicablePairs(production).length;

test.describe('the nightly workflow, run as GitHub runs it, against a production-shaped local deployment', () => {
  test('without the kubeconfig secret: green, the cluster checks reported once as not run, and why', { tag: '@selftest' }, async () => {
    test.setTimeout(nightlyRunTimeoutMs(production, 1));
    await labelTest('selftest', 'nightly workflow', 'without the kubeconfig secret');
    const run = await withProductionShapedDeployment((lbUrl) => runNightlyStep({ THEIA_URL: lbUrl }));

    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toContain('nightly: secrets set: THEIA_URL; empty or unset: THEIA_AUTHORIZATION, PRODUCTION_KUBECONFIG');
    const notRun = run.out.split('\n').filter((l) => l.includes('cluster checks not run'));
    expect(notRun, 'the runner says it once').toHaveLength(1);
    expect(notRun[0]).toContain('target production: cluster checks not run: no kubeconfig given');
    expect(notRun[0]).toContain('the PRODUCTION_KUBECONFIG secret');
    expect(run.out).toContain('socketproof: target production: header Authorization not sent: SOCKETPROOF_PRODUCTION_AUTHORIZATION is unset or empty');
    expect(run.out).toContain(`${trafficTests} passed`);
    expect(run.out).toContain('1 skipped');

    // In the Allure results: one cluster entry, skipped, with the reason; the traffic checks passed.
    const results = allureResults(run.reports);
    const cluster = results.filter((r) => label(r, 'epic') === 'cluster');
    expect(cluster.map((r) => [r.name, r.status])).toEqual([['cluster checks: not run without a kubeconfig', 'skipped']]);
    expect(cluster[0]?.statusDetails?.message).toContain('cluster checks not run: no kubeconfig given');
    expect(results.filter((r) => r.status === 'passed')).toHaveLength(trafficTests);
    const categories = readFileSync(path.join(run.reports, 'allure-results', 'categories.json'), 'utf8');
    expect(categories).toContain('Cluster checks not run (no kubeconfig)');
  });

  test('with a read-only kubeconfig: the cluster checks run and pass, and no secret is in what the run wrote', { tag: ['@selftest', '@cluster'] }, async ({ cluster }) => {
    test.setTimeout(nightlyRunTimeoutMs(production, 1 + clusterCheckIds.length));
    test.skip(!cluster.restrictedKubeconfig, 'needs the local control plane (npx tsx scripts/control-plane.ts build)');
    await labelTest('selftest', 'nightly workflow', 'with a read-only kubeconfig');
    // The worker's API server holds the healthy manifests in namespace `theia` (the local target's cluster section,
    // as production's); its view-only user, under the context name production's target file asks for.
    expect(cluster.expect.namespace).toBe(production.cluster?.namespace);
    const kubeconfig = parse(readFileSync(cluster.restrictedKubeconfig as string, 'utf8')) as {
      contexts: { name: string }[];
      users: { user: { token?: string } }[];
      'current-context': string;
    };
    const context = production.cluster?.context as string;
    kubeconfig.contexts = kubeconfig.contexts.map((c) => ({ ...c, name: context }));
    kubeconfig['current-context'] = context;
    const token = kubeconfig.users[0]?.user.token as string;
    const planted = 'sp-nightly-planted-4b7e1'; // the local LB does not check it: it only must not leak
    const authorization = `Bearer ${planted}`;

    const run = await withProductionShapedDeployment((lbUrl) =>
      runNightlyStep({ THEIA_URL: lbUrl, THEIA_AUTHORIZATION: authorization, PRODUCTION_KUBECONFIG: stringify(kubeconfig) }),
    );

    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toContain('nightly: secrets set: THEIA_URL, THEIA_AUTHORIZATION, PRODUCTION_KUBECONFIG; empty or unset: none');
    expect(run.out).not.toContain('not run');
    expect(run.out).not.toContain('not sent');
    expect(run.out).toContain(`${trafficTests + 1 + clusterCheckIds.length} passed`);
    const clusterResults = allureResults(run.reports).filter((r) => label(r, 'epic') === 'cluster');
    expect(clusterResults).toHaveLength(1 + clusterCheckIds.length);
    expect(clusterResults.filter((r) => r.status !== 'passed').map((r) => r.name)).toEqual([]);

    // The kubeconfig file lived only for the run; neither secret is in the output or in any file the run wrote.
    expect(readdirSync(run.runnerTemp)).toEqual([]);
    for (const secret of [token, planted]) expect(run.out).not.toContain(secret);
    expect(filesContaining(run.reports, [token, planted]), 'files that contain a secret').toEqual([]);
  });
});
