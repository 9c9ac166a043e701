/**
 * Bad input fails with ONE clear line and changes nothing: an invalid manifest, an unknown fix, an unreachable
 * API server, a wrong context, a kind whose CRD is missing, a value the CRD schema refuses, and a field another
 * field manager owns. Each test snapshots the objects before and asserts they are equal after.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ClusterWorker, clusterTest as test, expect, labelTest } from '../../fixtures';
import { backendConfigRef, serviceRef } from '../../src/cluster/expectation';
import { FixError, loadFix } from '../../src/fixes/load';
import { applyObjects, conflictsOf, FIX_FIELD_MANAGER, MANIFEST_FIELD_MANAGER } from '../../src/k8s/apply';
import { ClusterError, type ClusterConnection, connect, getObject, serverSideApply } from '../../src/k8s/client';
import { startControlPlane } from '../../src/k8s/control-plane';
import { loadManifestFile, loadManifestSet, ManifestError } from '../../src/k8s/manifests';
import { type K8sObject, type ObjectRef, stripServerFields } from '../../src/k8s/objects';

const oneLine = /^[^\n]+$/;

/** The worker namespace's objects as their intent (server fields stripped), live or from the files. */
async function snapshot(cluster: ClusterWorker, refs?: ObjectRef[]): Promise<(K8sObject | undefined)[]> {
  const all = refs ?? loadManifestSet(cluster.expect.desired, { namespace: cluster.expect.namespace }).map((o) => ({ ...o, ...o.metadata }));
  return Promise.all(all.map(async (r) => ((o) => o && stripServerFields(o))(await cluster.source.get(r))));
}

function admin(cluster: ClusterWorker): ClusterConnection {
  test.skip(!cluster.admin, `needs an API server: ${cluster.describe}`);
  return cluster.admin as ClusterConnection;
}

/** Without a control plane: a kubeconfig of the same shape (the errors tested here come before any TLS). */
const standIn = `apiVersion: v1
kind: Config
clusters: [{ name: socketproof-local, cluster: { server: https://127.0.0.1:1, insecure-skip-tls-verify: true } }]
users: [{ name: socketproof-admin, user: { token: not-a-secret } }]
contexts: [{ name: socketproof-local-admin, context: { cluster: socketproof-local, user: socketproof-admin } }]
current-context: socketproof-local-admin
`;

/** A kubeconfig like the admin's, pointing at another server. */
function kubeconfigFor(cluster: ClusterWorker, server: string): string {
  const admin = cluster.controlPlane?.adminKubeconfig;
  const text = (admin ? readFileSync(admin, 'utf8') : standIn).replace(/server: [^\s,}]+/, `server: ${server}`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sp-kubeconfig-')), 'kubeconfig');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

test.describe('bad input: one clear line, nothing changed', () => {
  test('an invalid YAML manifest names the file and line', { tag: ['@cluster'] }, async ({ cluster }) => {
    await labelTest('cluster', 'bad input', 'invalid YAML manifest');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sp-manifest-')), 'service.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: theia\n   namespace: theia\n');
    const before = await snapshot(cluster);
    // Load, then apply (when there is a server): the load must fail before anything is sent.
    const error = await (async () => {
      try {
        const objects = loadManifestFile(file);
        if (cluster.admin) await applyObjects(cluster.admin, objects);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as Error).message).toMatch(oneLine);
    expect((error as Error).message).toMatch(/^\/\S+\/service\.yaml: not valid YAML \(line 4\): Nested mappings are not allowed in compact mappings$/);
    writeFileSync(file, 'just: a map\n');
    expect(() => loadManifestFile(file)).toThrow(/service\.yaml: document 1 is not a Kubernetes object/);
    expect(await snapshot(cluster)).toEqual(before);
  });

  test('an unknown fix id lists the known fixes', { tag: ['@cluster'] }, async ({ cluster }) => {
    await labelTest('cluster', 'bad input', 'unknown fix id');
    const before = await snapshot(cluster);
    expect(() => loadFix('sticky-sessions')).toThrow(FixError);
    expect(() => loadFix('sticky-sessions')).toThrow(/^unknown fix "sticky-sessions": known fixes are .*backendconfig-session-affinity.*cdn-off/);
    expect(await snapshot(cluster)).toEqual(before);
  });

  test('an unreachable API server (closed port, silent port) fails fast', { tag: ['@cluster'] }, async ({ cluster }) => {
    await labelTest('cluster', 'bad input', 'unreachable API server');
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const t0 = Date.now();
    const refused = connect({ kubeconfig: kubeconfigFor(cluster, `https://127.0.0.1:${closed}`) });
    await expect(refused).rejects.toThrow(new RegExp(`^connect to context "socketproof-local-admin": the API server https://127.0.0.1:${closed} is unreachable \\(connect ECONNREFUSED`));
    // A port that accepts and never answers: the /version deadline, not a hang.
    const silent = net.createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const hung = connect({ kubeconfig: kubeconfigFor(cluster, `https://127.0.0.1:${port}`), timeoutMs: 500 });
      await expect(hung).rejects.toThrow(/is unreachable \(ETIMEDOUT: no answer to \/version within 500 ms\)$/);
    } finally {
      silent.close();
    }
    expect(Date.now() - t0).toBeLessThan(5000);
    // The messages name server, context and user, never the credentials.
    const token = /token: (\S+)/.exec(readFileSync(kubeconfigFor(cluster, 'https://127.0.0.1:1'), 'utf8'))?.[1] ?? 'unset';
    const messages = await Promise.all([refused.catch((e: Error) => e.message), connect({ kubeconfig: kubeconfigFor(cluster, 'https://127.0.0.1:1') }).catch((e: Error) => e.message)]);
    for (const m of messages) expect(m).not.toContain(token);
  });

  test('a wrong context name lists the known contexts', { tag: ['@cluster'] }, async ({ cluster }) => {
    await labelTest('cluster', 'bad input', 'wrong context');
    const kubeconfig = kubeconfigFor(cluster, cluster.controlPlane?.server ?? 'https://127.0.0.1:1');
    const attempt = connect({ kubeconfig, context: 'gke_prod_europe-west1_theia' });
    await expect(attempt).rejects.toThrow(/^context "gke_prod_europe-west1_theia" is not in \/\S+\/kubeconfig: known contexts are socketproof-local-admin$/);
    await expect(attempt).rejects.toThrow(ClusterError);
    await expect(connect({ kubeconfig: '/nonexistent/kubeconfig' })).rejects.toThrow(/^no kubeconfig at \/nonexistent\/kubeconfig: /);
  });

  test('a BackendConfig on a control plane without the CRD: refused before anything is stored', { tag: ['@cluster'] }, async ({ cluster }) => {
    test.setTimeout(120_000);
    await labelTest('cluster', 'bad input', 'missing CRD');
    admin(cluster);
    const bare = await startControlPlane();
    try {
      const conn = await connect({ kubeconfig: bare.adminKubeconfig });
      const objects = loadManifestSet('healthy');
      const attempt = applyObjects(conn, objects);
      await expect(attempt).rejects.toThrow(ClusterError);
      await expect(attempt).rejects.toThrow(
        /^apply BackendConfig theia\/theia-backendconfig: the API server \S+ does not serve BackendConfig \(cloud.google.com\/v1\): its CRD is not installed/,
      );
      // The preflight refused the batch: not even the Namespace was created (and BackendConfigs cannot exist).
      for (const o of objects.filter((x) => x.kind !== 'BackendConfig')) {
        expect(await getObject(conn, { ...o, ...o.metadata }), `${o.kind} ${o.metadata.name}`).toBeUndefined();
      }
    } finally {
      await bare.stop();
    }
  });

  test('a value the CRD schema refuses names the field and the allowed values', { tag: ['@cluster'] }, async ({ cluster, stage }) => {
    await labelTest('cluster', 'bad input', 'invalid BackendConfig');
    const conn = admin(cluster);
    const { ctx } = await stage();
    const ref = backendConfigRef(ctx.expect);
    const before = stripServerFields((await getObject(conn, ref)) as K8sObject);
    const bad = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, spec: { sessionAffinity: { affinityType: 'STICKY' }, timeoutSec: 0 } };
    const attempt = serverSideApply(conn, bad, { fieldManager: MANIFEST_FIELD_MANAGER });
    await expect(attempt).rejects.toThrow(oneLine);
    await expect(attempt).rejects.toThrow(/Invalid \(422\): .*spec\.sessionAffinity\.affinityType: Unsupported value: "STICKY": supported values: "NONE", "CLIENT_IP", "GENERATED_COOKIE"/);
    await expect(attempt).rejects.toThrow(/spec\.timeoutSec: Invalid value: 0: spec\.timeoutSec in body should be greater than or equal to 1/);
    expect(stripServerFields((await getObject(conn, ref)) as K8sObject)).toEqual(before);
  });

  test('a field another manager owns: conflict names the manager and the field', { tag: ['@cluster'] }, async ({ cluster, stage }) => {
    await labelTest('cluster', 'bad input', 'field manager conflict');
    const conn = admin(cluster);
    const { ctx } = await stage({ set: 'broken' });
    const refs = [backendConfigRef(ctx.expect), serviceRef(ctx.expect)];
    const before = await Promise.all(refs.map(async (r) => stripServerFields((await getObject(conn, r)) as K8sObject)));
    const fix = { ...loadFix('cdn-off').objects[0], metadata: { name: 'theia-backendconfig', namespace: ctx.expect.namespace } } as K8sObject;
    const attempt = serverSideApply(conn, fix, { fieldManager: FIX_FIELD_MANAGER });
    await expect(attempt).rejects.toThrow(
      /^apply BackendConfig sp-\S+\/theia-backendconfig as "socketproof-fix": conflict: field manager "socketproof-manifests" owns \.spec\.cdn\.enabled /,
    );
    await expect(attempt).rejects.toThrow(oneLine);
    expect(await conflictsOf(conn, [fix], FIX_FIELD_MANAGER)).toEqual([
      { manager: MANIFEST_FIELD_MANAGER, field: '.spec.cdn.enabled', object: `BackendConfig ${ctx.expect.namespace}/theia-backendconfig` },
    ]);
    expect(await Promise.all(refs.map(async (r) => stripServerFields((await getObject(conn, r)) as K8sObject)))).toEqual(before);
  });
});
