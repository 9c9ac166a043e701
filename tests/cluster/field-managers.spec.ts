/**
 * Why every fix has its own field manager (src/k8s/apply.ts fixFieldManager): server-side apply reads an apply
 * as the manager's whole intent, so two fixes applied to one BackendConfig under a shared manager keep only the
 * second. Measured here on the real API server, so the fix scripts can rely on it.
 */
import { clusterTest as test, expect, labelTest } from '../../fixtures';
import { backendConfigRef } from '../../src/cluster/expectation';
import { fixObjects, loadFix } from '../../src/fixes/load';
import { FIX_FIELD_MANAGER, fixFieldManager } from '../../src/k8s/apply';
import { getObject, serverSideApply } from '../../src/k8s/client';

test('fixes on one object: a shared field manager drops the earlier fix, per-fix managers keep both', { tag: ['@cluster', '@selftest'] }, async ({ cluster, stage }) => {
  test.skip(!cluster.admin, `needs an API server: ${cluster.describe}`);
  await labelTest('selftest', 'field managers', 'one manager per fix');
  const conn = cluster.admin;
  if (!conn) return;
  const spec = async (ns: string) => (await getObject(conn, backendConfigRef({ ...cluster.expect, namespace: ns })))?.spec as Record<string, unknown>;
  const apply = async (ns: string, id: string, manager: string) => {
    for (const o of fixObjects(loadFix(id), { namespace: ns, names: cluster.expect.names })) await serverSideApply(conn, o, { fieldManager: manager, force: true });
  };

  const shared = await stage({ set: 'broken' });
  await apply(shared.namespace, 'backendconfig-timeout', FIX_FIELD_MANAGER);
  await apply(shared.namespace, 'backendconfig-session-affinity', FIX_FIELD_MANAGER);
  expect(await spec(shared.namespace)).not.toHaveProperty('timeoutSec');
  expect(await spec(shared.namespace)).toHaveProperty('sessionAffinity', { affinityType: 'CLIENT_IP' });

  const own = await stage({ set: 'broken' });
  await apply(own.namespace, 'backendconfig-timeout', fixFieldManager('backendconfig-timeout'));
  await apply(own.namespace, 'backendconfig-session-affinity', fixFieldManager('backendconfig-session-affinity'));
  expect(await spec(own.namespace)).toMatchObject({ timeoutSec: 3600, sessionAffinity: { affinityType: 'CLIENT_IP' } });
});
