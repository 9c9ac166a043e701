/**
 * Manifests → local topology: only what the GKE load balancer reads counts. The Service's sessionAffinity is
 * ignored (kubernetes#53886), timeoutSec defaults to GKE's 30 s, durations scale by Theia's 1/60.
 */
import { expect, test } from '../../fixtures/base';
import { loadManifestSet } from '../../src/k8s/manifests';
import { objectsSource } from '../../src/k8s/object-source';
import { type ObjectPatch, patchObjects } from '../../src/k8s/objects';
import { LOCAL_TIME_SCALE, settingsFromObjects } from '../../src/k8s/topology-from-objects';
import { healthySettings } from '../../src/topology/defaults';

const bc = (merge: unknown): ObjectPatch => ({ kind: 'BackendConfig', name: 'theia-backendconfig', merge });
const svc = (merge: unknown): ObjectPatch => ({ kind: 'Service', name: 'theia', merge });
const settings = (set: string, patches: ObjectPatch[] = [], scale?: number) =>
  settingsFromObjects(objectsSource(patchObjects(loadManifestSet(set), patches), `${set} + patches`), { scale });

test.describe('settingsFromObjects', { tag: '@unit' }, () => {
  test('healthy manifests: 2 replicas, client-ip affinity, 3600 s → 60 s cap, no CDN', async () => {
    expect(await settings('healthy')).toEqual({ replicas: 2, lb: { affinity: 'client-ip', lifetimeCapMs: 60_000, cdnCache: false } });
    // What the local healthy topology already is (its cap is none; 60 s outlives every local session).
    const merged = healthySettings(await settings('healthy'));
    expect(merged.lb.affinity).toBe(healthySettings().lb.affinity);
    expect(merged.lb.cdnCache).toBe(false);
  });

  test('broken manifests: no affinity, GKE default 30 s → 500 ms cap, CDN on', async () => {
    expect(await settings('broken')).toEqual({ replicas: 2, lb: { affinity: 'none', lifetimeCapMs: 500, cdnCache: true } });
  });

  test("the Service's sessionAffinity ClientIP alone gives affinity none", async () => {
    const s = await settings('healthy', [bc({ spec: { sessionAffinity: null } }), svc({ spec: { sessionAffinity: 'ClientIP' } })]);
    expect(s.lb?.affinity).toBe('none');
  });

  test('affinity types map to the local load balancer', async () => {
    const type = async (affinityType: string) => (await settings('healthy', [bc({ spec: { sessionAffinity: { affinityType } } })])).lb?.affinity;
    expect(await type('CLIENT_IP')).toBe('client-ip');
    expect(await type('GENERATED_COOKIE')).toBe('cookie');
    expect(await type('NONE')).toBe('none');
  });

  test('timeoutSec scales by 1/60 (30 → 500 ms, 3600 → 60 s); absent = GKE 30 s; scale is a parameter', async () => {
    expect(LOCAL_TIME_SCALE).toBe(1 / 60);
    expect((await settings('healthy', [bc({ spec: { timeoutSec: 30 } })])).lb?.lifetimeCapMs).toBe(500);
    expect((await settings('healthy', [bc({ spec: { timeoutSec: null } })])).lb?.lifetimeCapMs).toBe(500);
    expect((await settings('healthy', [], 1)).lb?.lifetimeCapMs).toBe(3_600_000);
  });

  test('replicas come from the Deployment (Kubernetes default 1)', async () => {
    const deployment = (merge: unknown): ObjectPatch => ({ kind: 'Deployment', name: 'theia', merge });
    expect((await settings('healthy', [deployment({ spec: { replicas: 3 } })])).replicas).toBe(3);
    expect((await settings('healthy', [deployment({ spec: { replicas: null } })])).replicas).toBe(1);
  });

  test('no usable backend-config annotation: GKE defaults (no affinity, 30 s, no CDN)', async () => {
    const defaults = { replicas: 2, lb: { affinity: 'none', lifetimeCapMs: 500, cdnCache: false } };
    const annotation = (value: string | null) => svc({ metadata: { annotations: { 'cloud.google.com/backend-config': value } } });
    expect(await settings('healthy', [annotation(null)])).toEqual(defaults);
    expect(await settings('healthy', [annotation('{default: theia-backendconfig}')])).toEqual(defaults);
    expect(await settings('healthy', [annotation('{"default":"missing"}')])).toEqual(defaults);
    // A ports entry for the Ingress's port wins over default, by name or number.
    expect((await settings('healthy', [annotation('{"ports":{"http":"theia-backendconfig"},"default":"missing"}')])).lb?.affinity).toBe('client-ip');
    expect((await settings('healthy', [annotation('{"ports":{"80":"theia-backendconfig"}}')])).lb?.affinity).toBe('client-ip');
  });
});
