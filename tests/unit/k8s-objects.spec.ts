/**
 * The plain-data side of the k8s layer: manifests parse (or fail in one line), objects compare by intent,
 * merge patches and namespaces work as the self-tests need, errors read as one line, Ingress paths match as the
 * Ingress API says, and the CRD carries the bounds the real API has.
 */
import { ApiException } from '@kubernetes/client-node';
import { expect, test } from '../../fixtures/base';
import { matchLength, routeFor } from '../../src/cluster/ingress';
import { diffObjects, formatDiff, missingFields } from '../../src/k8s/diff';
import { toClusterError } from '../../src/k8s/errors';
import { listManifestSets, loadCrds, loadManifestSet, parseManifests } from '../../src/k8s/manifests';
import { applyOrder, inNamespace, type K8sObject, mergePatch, stripServerFields } from '../../src/k8s/objects';

const server = 'https://127.0.0.1:6443';

test.describe('k8s objects and manifests', { tag: '@unit' }, () => {
  test('manifest sets: healthy and broken, same Deployment, every object in namespace theia', () => {
    expect(listManifestSets()).toEqual(expect.arrayContaining(['broken', 'healthy']));
    const [healthy, broken] = [loadManifestSet('healthy'), loadManifestSet('broken')];
    expect(healthy.map((o) => o.kind).sort()).toEqual(['BackendConfig', 'Deployment', 'Ingress', 'Namespace', 'Service']);
    expect(broken.find((o) => o.kind === 'Deployment')).toEqual(healthy.find((o) => o.kind === 'Deployment'));
    for (const o of healthy) expect(o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace).toBe('theia');
    expect(() => loadManifestSet('staging')).toThrow(/^unknown manifest set "staging": known sets are broken, healthy/);
  });

  test('parse errors are one line with the source and line', () => {
    expect(() => parseManifests('kind: [\n', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML \(line \d\): [^\n]+$/);
    expect(() => parseManifests('apiVersion: v1\nkind: Service\n', 'y.yaml')).toThrow('y.yaml: document 1 is not a Kubernetes object (apiVersion, kind, metadata.name)');
    expect(parseManifests('---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n', 'z.yaml')).toHaveLength(1);
  });

  test('the BackendConfig CRD: v1 served, enums and bounds where the real API has them', () => {
    const crd = loadCrds().find((o) => o.kind === 'CustomResourceDefinition') as K8sObject;
    expect(crd.metadata.name).toBe('backendconfigs.cloud.google.com');
    const spec = crd.spec as { versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
    const v1 = spec.versions.find((v) => v.name === 'v1');
    if (!v1) throw new Error('no v1 in the CRD');
    expect(v1.served).toBe(true);
    const props = (v1.schema.openAPIV3Schema as { properties: { spec: { properties: Record<string, { properties?: Record<string, Record<string, unknown>> } & Record<string, unknown>> } } }).properties.spec.properties;
    expect(props.sessionAffinity?.properties?.affinityType?.enum).toEqual(['NONE', 'CLIENT_IP', 'GENERATED_COOKIE']);
    expect(props.timeoutSec).toMatchObject({ type: 'integer', minimum: 1 });
    expect(props.connectionDraining?.properties?.drainingTimeoutSec).toMatchObject({ minimum: 0, maximum: 3600 });
    expect(props.healthCheck?.properties?.checkIntervalSec).toMatchObject({ minimum: 1, maximum: 300 });
    for (const f of ['cdn', 'iap', 'securityPolicy', 'customRequestHeaders', 'customResponseHeaders', 'logging']) expect(props[f]).toBeDefined();
  });

  test('stripServerFields keeps intent only', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 's',
        namespace: 'n',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        creationTimestamp: 't',
        managedFields: [],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'cloud.google.com/neg-status': '{}' },
      },
      spec: { clusterIP: '10.96.0.1' },
      status: { loadBalancer: {} },
    };
    expect(stripServerFields(live)).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { clusterIP: '10.96.0.1' } });
    expect(live.metadata.uid).toBe('u'); // a copy, the input is untouched
  });

  test('merge patch: null deletes, lists replace; namespaces move; CRDs and Namespaces apply first', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
    const moved = inNamespace(loadManifestSet('healthy'), 'sp-1');
    expect(moved.find((o) => o.kind === 'Namespace')?.metadata.name).toBe('sp-1');
    expect(new Set(moved.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace))).toEqual(new Set(['sp-1']));
    expect(applyOrder([...loadManifestSet('healthy'), ...loadCrds()]).slice(0, 2).map((o) => o.kind)).toEqual(['CustomResourceDefinition', 'Namespace']);
  });

  test('diffs: every changed leaf; missingFields ignores what only the live object has', () => {
    const d = diffObjects({ spec: { timeoutSec: 3600, cdn: { enabled: false } } }, { spec: { cdn: { enabled: true } } });
    expect(d.map(formatDiff)).toEqual(['.spec.cdn.enabled: false → true', '.spec.timeoutSec: 3600 → (absent)']);
    expect(missingFields({ spec: { a: 1 } }, { spec: { a: 1, defaulted: true }, status: {} })).toEqual([]);
    expect(missingFields({ spec: { a: 1 } }, { spec: { a: 2 } }).map(formatDiff)).toEqual(['.spec.a: 2 → 1']);
  });

  test('API errors become one line: conflict (manager + field), invalid, forbidden, kind not served, unreachable', () => {
    const status = (code: number, body: object) => new ApiException(code, 'Unsuccessful HTTP Request', JSON.stringify(body), {});
    const conflict = toClusterError(
      status(409, { reason: 'Conflict', message: 'Apply failed with 1 conflict', details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit"', field: '.spec.timeoutSec' }] } }),
      'apply BackendConfig theia/bc as "socketproof-fix"',
      server,
    );
    expect(conflict.message).toBe(
      'apply BackendConfig theia/bc as "socketproof-fix": conflict: field manager "kubectl-edit" owns .spec.timeoutSec (another manager set a different value; re-apply with force to take the field over)',
    );
    expect(conflict.details.conflicts).toEqual([{ manager: 'kubectl-edit', field: '.spec.timeoutSec' }]);
    expect(toClusterError(status(403, { reason: 'Forbidden', message: 'services "x" is forbidden:\nUser "v" cannot patch' }), 'apply Service n/x', server).message).toBe(
      'apply Service n/x: Forbidden (403): services "x" is forbidden: User "v" cannot patch',
    );
    expect(toClusterError(new Error('Unrecognized API version and kind: cloud.google.com/v1 BackendConfig'), 'get BackendConfig n/x', server).details.reason).toBe('KindNotServed');
    const refused = Object.assign(new Error('request to https://127.0.0.1:1/api failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toClusterError(refused, 'get Service n/x', server).message).toMatch(/^get Service n\/x: the API server https:\/\/127\.0\.0\.1:6443 is unreachable \(request to .* ECONNREFUSED 127\.0\.0\.1:1\)$/);
  });

  test('Ingress path matching: Prefix element-wise, GKE /* globs, Exact, longest wins, then defaultBackend', () => {
    expect(matchLength({ path: '/', pathType: 'Prefix', backend: {} }, '/theia/')).toBe(0);
    expect(matchLength({ path: '/theia/', pathType: 'Prefix', backend: {} }, '/theia/')).toBe(6);
    expect(matchLength({ path: '/theia', pathType: 'Prefix', backend: {} }, '/theiax/')).toBe(-1);
    expect(matchLength({ path: '/theia/*', pathType: 'ImplementationSpecific', backend: {} }, '/theia/socket.io/')).toBe(6);
    expect(matchLength({ path: '/theia/*', pathType: 'ImplementationSpecific', backend: {} }, '/')).toBe(-1);
    expect(matchLength({ path: '/health', pathType: 'Exact', backend: {} }, '/health/')).toBe(-1);
    const ingress = loadManifestSet('healthy').find((o) => o.kind === 'Ingress') as K8sObject;
    expect(routeFor(ingress, '/theia/').via).toBe('path /theia/ (Prefix)');
    expect(routeFor({ ...ingress, spec: { defaultBackend: { service: { name: 'd' } } } }, '/').via).toBe('spec.defaultBackend');
  });
});
