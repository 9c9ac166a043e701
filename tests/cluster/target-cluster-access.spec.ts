/**
 * The target's own cluster when its kubeconfig is missing or wrong, proven on targets/production.yaml unchanged (its
 * cluster tests only: --grep @cluster, no traffic): required but not given, a kubeconfig without the context the
 * target names, credentials the API server refuses. Each is ONE failure with one line and no stack; the cluster
 * checks are then reported not run, never failed one by one. (Not given and not required: the nightly self-test.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse, stringify } from 'yaml';
import { $ } from 'zx';
import { clusterTest as test, expect, labelTest } from '../../fixtures';
import { clusterCheckIds } from '../../src/cluster/registry';
import { freshRunEnv } from '../../src/runner-env';
import { loadTarget } from '../../src/targets/load';

const production = loadTarget('production');
const context = production.cluster?.context as string;

/** production's cluster tests, with this environment added (a fresh HOME: no ~/.kube/config unless given). */
async function clusterTests(env: Record<string, string>): Promise<{ exitCode: number; out: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-cluster-access-'));
  const ours = Object.keys(process.env).filter((k) => k === 'KUBECONFIG' || k === 'SOCKETPROOF_REQUIRE_CLUSTER');
  const runEnv = freshRunEnv(
    {
      HOME: dir,
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      SOCKETPROOF_REPORTS_DIR: path.join(dir, 'reports'),
      SOCKETPROOF_PRODUCTION_URL: 'http://127.0.0.1:9', // no traffic test runs; the URL only has to be valid
      ...env,
    },
    ours,
  );
  const r = await $({ nothrow: true, quiet: true, env: runEnv })`npx playwright test --project=production --grep @cluster`;
  // Playwright's colour escapes (a worker's FORCE_COLOR reaches the nested run) would split the lines matched below.
  return { exitCode: r.exitCode ?? -1, out: stripVTControlCharacters(r.stdout + r.stderr) };
}

/** A kubeconfig file in a temp dir. */
function kubeconfigFile(data: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'socketproof-kubeconfig-')), 'config');
  writeFileSync(file, stringify(data), { mode: 0o600 });
  return file;
}

/** Exactly one failed test, whose error is `line` and nothing else: no stack frame, no code snippet. */
function expectOneLineFailure(out: string, line: string | RegExp): void {
  expect(out).toMatch(/^\s+1 failed\s*$/m);
  const errors = out.split('\n').filter((l) => /^\s+Error: /.test(l));
  expect(errors, out).toHaveLength(1);
  expect(errors[0]).toMatch(line);
  expect(out, 'a stack frame').not.toMatch(/^\s+at /m);
  expect(out, 'a code snippet').not.toMatch(/^\s+>?\s*\d+ \|/m);
}

test.describe("a target's own cluster: a kubeconfig missing or wrong", () => {
  test.describe.configure({ timeout: 120_000 });

  test('required (SOCKETPROOF_REQUIRE_CLUSTER=1) but none given: a failure, in one line', { tag: ['@cluster', '@selftest'] }, async () => {
    await labelTest('selftest', 'target cluster access', 'required, not given');
    const run = await clusterTests({ SOCKETPROOF_REQUIRE_CLUSTER: '1' });
    expect(run.exitCode, run.out).toBe(1);
    expectOneLineFailure(run.out, /Error: target production: cluster checks required \(SOCKETPROOF_REQUIRE_CLUSTER=1\) but no kubeconfig given/);
    expect(run.out).toMatch(/^socketproof: target production: cluster checks required .*; the run fails$/m);
  });

  test('a kubeconfig without the context the target names: one failure, one line, the checks not run', { tag: ['@cluster', '@selftest'] }, async () => {
    await labelTest('selftest', 'target cluster access', 'context missing');
    const kubeconfig = kubeconfigFile({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'other', cluster: { server: 'https://127.0.0.1:9' } }],
      users: [{ name: 'other', user: { token: 'sp-planted-unused' } }],
      contexts: [{ name: 'staging', context: { cluster: 'other', user: 'other' } }],
      'current-context': 'staging',
    });
    const run = await clusterTests({ KUBECONFIG: kubeconfig });
    expect(run.exitCode, run.out).toBe(1);
    expectOneLineFailure(run.out, `Error: context "${context}" is not in ${kubeconfig}: known contexts are staging`);
    expect(run.out).toContain(`${clusterCheckIds.length} skipped`);
    expect(run.out).not.toContain('sp-planted-unused');
  });

  test('credentials the API server refuses: one failure, one line, the checks not run', { tag: ['@cluster', '@selftest'] }, async ({ cluster }) => {
    test.skip(!cluster.restrictedKubeconfig, 'needs the local control plane (npx tsx scripts/control-plane.ts build)');
    await labelTest('selftest', 'target cluster access', 'credentials refused');
    const restricted = parse(readFileSync(cluster.restrictedKubeconfig as string, 'utf8')) as {
      contexts: { name: string; context: { user: string } }[];
      users: { name: string; user: { token?: string } }[];
      'current-context': string;
    };
    const user = restricted.users[0]?.name as string;
    const kubeconfig = kubeconfigFile({
      ...restricted,
      users: restricted.users.map((u) => ({ ...u, user: { token: 'sp-planted-wrong-token' } })),
      contexts: restricted.contexts.map((c) => ({ ...c, name: context })),
      'current-context': context,
    });
    const run = await clusterTests({ KUBECONFIG: kubeconfig });
    expect(run.exitCode, run.out).toBe(1);
    expectOneLineFailure(run.out, `Error: connect to context "${context}": the API server ${cluster.controlPlane?.server} rejected user "${user}" (401)`);
    expect(run.out).toContain(`${clusterCheckIds.length} skipped`);
    expect(run.out).not.toContain('sp-planted-wrong-token');
  });
});
