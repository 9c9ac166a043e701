/**
 * The trap the emulation must not fall into: the fix most people try first for Socket.IO 400s behind GKE sets
 * the Service's spec.sessionAffinity. The GKE load balancer ignores it (only BackendConfig sessionAffinity
 * counts), so must the local topology: with the "fix" applied through apply-fix, the settings derived from the
 * live objects still have no affinity and the session checks through the load balancer stay red with
 * session-affinity; the cluster check says why. Then it is rolled back like any other fix.
 */
import { labelTest } from '../../fixtures';
import { clusterCheck } from '../../src/cluster/registry';
import { getObject } from '../../src/k8s/client';
import { liveSource } from '../../src/k8s/object-source';
import { backupOf } from './fix-cli';
import { expect, fixTest as test, intentOf } from './fix-harness';
import { trafficFromLiveObjects } from './live-traffic';

// Start from a Service WITHOUT affinity (the broken set has ClientIP already) and without the CDN (it would
// take the diagnosis): the trap's one change is then the only difference.
const patches = [
  { kind: 'Service', name: 'theia', merge: { spec: { sessionAffinity: null } } },
  { kind: 'BackendConfig', name: 'theia-backendconfig', merge: { spec: { cdn: { enabled: false } } } },
];
const sessionChecks = ['handshake', 'session-continuity'];

test('service-session-affinity leaves the affinity check red on the local target', { tag: ['@cluster', '@selftest'] }, async ({ fx, cluster }, testInfo) => {
  test.setTimeout(120_000);
  await labelTest('selftest', 'fix story', 'the Service sessionAffinity trap', 'critical');
  const { namespace } = await fx.stage({ set: 'broken', patches });
  const before = await fx.snapshot(namespace);
  const service = { apiVersion: 'v1', kind: 'Service', name: 'theia', namespace };

  const r = await fx.applyFix('service-session-affinity', namespace);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^warning: service-session-affinity does not work on GKE: the GKE Ingress load balancer ignores a Service's spec\.sessionAffinity/m);
  expect(r.stdout).toContain('.spec.sessionAffinity: "None" → "ClientIP"');
  expect(((await getObject(fx.admin, service))?.spec as { sessionAffinity?: string } | undefined)?.sessionAffinity).toBe('ClientIP');

  const trapped = await trafficFromLiveObjects(fx.admin, namespace, 'with the Service sessionAffinity trap applied', testInfo, sessionChecks);
  expect(trapped.table).toEqual({ 'handshake@lb': 'session-affinity', 'session-continuity@lb': 'session-affinity' });

  const verdict = await clusterCheck('backendconfig-affinity').run({ source: liveSource(fx.admin), expect: { ...cluster.expect, namespace } });
  expect(verdict.ok).toBe(false);
  expect(verdict.cause).toBe('session-affinity');
  expect(verdict.observed).toContain("the Service's spec.sessionAffinity ClientIP does not help: the GKE load balancer ignores it");

  const rolled = await fx.run('rollback', [backupOf(r), '--journal-dir', fx.journalDir]);
  expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
  expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
});
