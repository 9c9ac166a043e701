/**
 * The nightly run's cluster checks, proven on a real API server: a target whose `cluster` section names a real
 * cluster (here the worker's kube-apiserver, through the RESTRICTED read-only kubeconfig, as production's CI secret
 * would be) runs them in its own project. Healthy manifests: green. Broken ones: red, with the causes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { $ } from 'zx';
import { clusterTest as test, expect, labelTest } from '../../fixtures';
import { RESTRICTED_CONTEXT } from '../../src/k8s/control-plane';
import { freshRunEnv } from '../../src/runner-env';
import { loadTarget } from '../../src/targets/load';

/** A remote target file for the staged namespace, its cluster reached with the given kubeconfig. */
function targetFile(namespace: string, kubeconfig: string): string {
  const local = loadTarget('local');
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-target-cluster-'));
  const file = path.join(dir, 'cluster-only.yaml');
  const { embedded: _embedded, ...rest } = local;
  writeFileSync(
    file,
    stringify({
      ...rest,
      name: 'cluster-only',
      kind: 'remote',
      readOnly: true,
      // No traffic is run (--grep @cluster); the hop only has to be a valid URL.
      hops: [{ name: 'lb', url: 'http://127.0.0.1:9', health: true, browser: true, balanced: true }],
      cluster: { ...local.cluster, namespace, kubeconfig, context: RESTRICTED_CONTEXT, production: true },
    }),
  );
  return file;
}

async function run(file: string): Promise<{ exitCode: number; out: string }> {
  const env = freshRunEnv({ SOCKETPROOF_TARGET: file, SOCKETPROOF_REPORTS_DIR: path.join(path.dirname(file), 'reports') });
  const r = await $({ nothrow: true, quiet: true, env })`npx playwright test --project=cluster-only --grep @cluster`;
  return { exitCode: r.exitCode ?? -1, out: r.stdout + r.stderr };
}

test.describe('cluster checks of a target with its own cluster (the nightly run)', () => {
  test.describe.configure({ timeout: 120_000 });

  test('green on the healthy manifests, read-only credentials', { tag: ['@cluster', '@selftest'] }, async ({ cluster, stage }) => {
    test.skip(!cluster.restrictedKubeconfig, 'needs the local control plane (npx tsx scripts/control-plane.ts build)');
    await labelTest('selftest', 'target cluster', 'healthy');
    const staged = await stage({ set: 'healthy' });
    const result = await run(targetFile(staged.namespace, cluster.restrictedKubeconfig as string));
    expect(result.exitCode, result.out).toBe(0);
    expect(result.out).toContain('10 passed'); // the connection test and the 9 checks
  });

  test('red with the causes on the broken manifests', { tag: ['@cluster', '@selftest'] }, async ({ cluster, stage }) => {
    test.skip(!cluster.restrictedKubeconfig, 'needs the local control plane (npx tsx scripts/control-plane.ts build)');
    await labelTest('selftest', 'target cluster', 'broken');
    const staged = await stage({ set: 'broken' });
    const result = await run(targetFile(staged.namespace, cluster.restrictedKubeconfig as string));
    expect(result.exitCode, result.out).toBe(1);
    for (const cause of ['session-affinity', 'connection-lifetime-cut', 'cdn-caching', 'ingress-routing']) {
      expect(result.out).toContain(`cause:    ${cause}`);
    }
  });
});
