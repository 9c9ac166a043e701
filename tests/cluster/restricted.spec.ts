/**
 * A read-only user (the control plane's restricted kubeconfig, like a production viewer) can run every cluster
 * check, drift included (by field comparison, as it may not dry-run), and cannot change anything: the access
 * review says no, and an apply is refused with one line while the object stays as it was.
 */
import { attachVerdict, clusterTest as test, expect, expectPass, labelTest } from '../../fixtures';
import { driftCheck } from '../../src/cluster/drift';
import { clusterChecks } from '../../src/cluster/registry';
import { canI, ClusterError, getObject, serverSideApply } from '../../src/k8s/client';
import { liveSource } from '../../src/k8s/object-source';
import { stripServerFields } from '../../src/k8s/objects';
import { serviceRef } from '../../src/cluster/expectation';

test.describe('restricted (read-only) user', () => {
  test.beforeEach(({ cluster }) => {
    test.skip(cluster.mode !== 'live', `needs an API server: ${cluster.describe}`);
  });

  test('runs every cluster check green, drift by field comparison', { tag: ['@cluster'] }, async ({ cluster }, testInfo) => {
    await labelTest('cluster', 'read-only user', 'all checks');
    const restricted = cluster.restricted;
    if (!restricted) throw new Error('no restricted connection');
    const ctx = { source: liveSource(restricted), expect: cluster.expect };
    for (const check of clusterChecks) {
      const v = await check.run(ctx);
      await expectPass(testInfo, v);
      if (check.id === 'drift') expect(v.observed).toContain('read-only user');
    }
  });

  test('sees drift without a dry run', { tag: ['@cluster', '@selftest'] }, async ({ cluster, stage }, testInfo) => {
    await labelTest('selftest', 'read-only user', 'drift by field comparison');
    if (!cluster.restricted) throw new Error('no restricted connection');
    const { ctx } = await stage({ patches: [{ kind: 'BackendConfig', name: 'theia-backendconfig', merge: { spec: { timeoutSec: 30 } } }] });
    const v = await driftCheck({ ...ctx, source: liveSource(cluster.restricted) });
    await attachVerdict(testInfo, v);
    expect(v.ok).toBe(false);
    expect(v.cause).toBe('manifest-drift');
    expect(v.observed).toContain('.spec.timeoutSec: 30 → 3600');
  });

  test('may not patch: access review says no, apply is refused, nothing changes', { tag: ['@cluster', '@selftest'] }, async ({ cluster }) => {
    await labelTest('selftest', 'read-only user', 'write refused');
    const { admin, restricted } = cluster;
    if (!admin || !restricted) throw new Error('no connections');
    const ns = cluster.expect.namespace;
    expect(await canI(restricted, 'get', 'backendconfigs.cloud.google.com', ns)).toBe(true);
    expect(await canI(restricted, 'patch', 'services', ns)).toBe(false);
    expect(await canI(restricted, 'patch', 'backendconfigs.cloud.google.com', ns)).toBe(false);
    expect(await canI(admin, 'patch', 'backendconfigs.cloud.google.com', ns)).toBe(true);

    const ref = serviceRef(cluster.expect);
    const before = stripServerFields((await getObject(admin, ref)) ?? ({} as never));
    const attempt = serverSideApply(
      restricted,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: ref.name, namespace: ns }, spec: { sessionAffinity: 'None' } },
      { fieldManager: 'socketproof-fix', force: true },
    );
    await expect(attempt).rejects.toThrow(ClusterError);
    await expect(attempt).rejects.toThrow(/^apply Service theia\/theia as "socketproof-fix": Forbidden \(403\): .*cannot patch resource "services"/);
    expect(stripServerFields((await getObject(admin, ref)) ?? ({} as never))).toEqual(before);
  });
});
