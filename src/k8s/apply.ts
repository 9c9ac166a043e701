/**
 * Applying a set of objects in an order that works: CRDs first (and waited for until the API server serves their
 * kind), then Namespaces, then the rest. Also a dry run that lists field-manager conflicts without changing
 * anything, so a fix script can show whose fields it would take over before it forces.
 */
import { crdInstalled, type ClusterConnection, serverSideApply } from './client';
import { ClusterError, type FieldConflict, toClusterError } from './errors';
import { applyOrder, describeRef, groupOf, type K8sObject, refOf } from './objects';

/** The field manager the repo's manifests are applied with (the fixture, drift's dry run). */
export const MANIFEST_FIELD_MANAGER = 'socketproof-manifests';
/** Prefix of the fixes' field managers; a fix's fields are then told apart from the manifests' in managedFields. */
export const FIX_FIELD_MANAGER = 'socketproof-fix';

/**
 * The field manager ONE fix is applied with: `socketproof-fix-<id>`. One manager per fix, never a shared one:
 * server-side apply treats an apply as the manager's complete intent, so applying `cdn-off` as the manager that
 * earlier applied `backendconfig-session-affinity` to the same BackendConfig REMOVES the affinity (measured:
 * tests/cluster/manifests-drive-traffic.spec.ts). Per-fix managers also make a rollback of one fix exact.
 */
export function fixFieldManager(fixId: string): string {
  return `${FIX_FIELD_MANAGER}-${fixId}`.slice(0, 128);
}

/** Polls until the CRD is Established and its kind answers a list (discovery caught up). */
export async function waitForCrd(conn: ClusterConnection, crd: K8sObject, timeoutMs = 15_000): Promise<void> {
  const spec = crd.spec as { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] };
  const version = spec.versions.find((v) => v.served)?.name ?? 'v1';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await crdInstalled(conn, crd.metadata.name)) {
        await conn.objects.list(`${spec.group}/${version}`, spec.names.kind);
        return;
      }
    } catch {
      // not served yet: discovery lags the Established condition by a moment
    }
    if (Date.now() > deadline) {
      throw new ClusterError(`CRD ${crd.metadata.name} was not served within ${timeoutMs} ms on ${conn.server}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ApplyAllOptions {
  fieldManager?: string;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * Refuses the whole batch, before anything is stored, when a kind is neither served nor defined by a CRD in the
 * batch: a missing CRD then changes nothing, instead of failing halfway with the Namespace already created.
 */
async function preflight(conn: ClusterConnection, objects: K8sObject[]): Promise<void> {
  const defined = new Set(
    objects
      .filter((o) => o.kind === 'CustomResourceDefinition')
      .map((o) => `${(o.spec as { group: string }).group}/${(o.spec as { names: { kind: string } }).names.kind}`),
  );
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (seen.has(key) || defined.has(`${groupOf(o.apiVersion)}/${o.kind}`)) continue;
    seen.add(key);
    let served: boolean;
    try {
      served = await conn.objects.serves(o.apiVersion, o.kind);
    } catch (e) {
      throw toClusterError(e, `apply ${describeRef(refOf(o))}`, conn.server);
    }
    if (!served) {
      throw toClusterError(new Error(`Unrecognized API version and kind: ${o.apiVersion} ${o.kind}`), `apply ${describeRef(refOf(o))}`, conn.server);
    }
  }
}

/**
 * Applies every object (CRDs, then Namespaces, then the rest) after a preflight of the kinds; stops at the first
 * error, which names its object.
 */
export async function applyObjects(conn: ClusterConnection, objects: K8sObject[], opts: ApplyAllOptions = {}): Promise<K8sObject[]> {
  const fieldManager = opts.fieldManager ?? MANIFEST_FIELD_MANAGER;
  await preflight(conn, objects);
  const applied: K8sObject[] = [];
  for (const obj of applyOrder(objects)) {
    applied.push(await serverSideApply(conn, obj, { fieldManager, force: opts.force, dryRun: opts.dryRun }));
    if (obj.kind === 'CustomResourceDefinition' && !opts.dryRun) await waitForCrd(conn, obj);
  }
  return applied;
}

/** The conflicts applying `objects` as `fieldManager` would meet (a dry run without force; nothing is stored). */
export async function conflictsOf(conn: ClusterConnection, objects: K8sObject[], fieldManager: string): Promise<FieldConflict[]> {
  const found: FieldConflict[] = [];
  for (const obj of applyOrder(objects)) {
    try {
      await serverSideApply(conn, obj, { fieldManager, dryRun: true });
    } catch (e) {
      if (e instanceof ClusterError && e.details.conflicts) {
        found.push(...e.details.conflicts.map((c) => ({ ...c, object: describeRef(refOf(obj)) })));
      } else throw e;
    }
  }
  return found;
}
