/**
 * Everything that can refuse a fix is checked before the first write, read-only, in the order a user would fix
 * it: the namespace, the kinds (a missing CRD), the objects (a fix patches what exists, it never creates a stray
 * object), the permission to patch each (SelfSubjectAccessReview, as `kubectl auth can-i`), then a server-side
 * dry run of every object, which finds field-manager conflicts and schema errors without storing anything.
 */
import { type ClusterConnection, canI, getObject, serverSideApply } from '../../k8s/client';
import { ClusterError, toClusterError } from '../../k8s/errors';
import { describeRef, groupOf, type K8sObject, refOf } from '../../k8s/objects';
import type { FixApi } from './fix-api';
import { Refused } from './outcome';

export interface PlannedChange {
  /** The partial object the fix applies. */
  patch: K8sObject;
  /** The full object before (what the backup holds). */
  live: K8sObject;
  /** What the server says the object would become (dry run). */
  after: K8sObject;
}

export interface PreflightOptions {
  namespace: string;
  fieldManager: string;
  forceConflicts: boolean;
}

async function resourceOf(api: FixApi, conn: ClusterConnection, o: K8sObject): Promise<string> {
  let name: string | undefined;
  try {
    name = await api.resourceName(o.apiVersion, o.kind);
  } catch (e) {
    // A whole API group missing answers 404 from discovery: the same "no CRD" message as a missing kind.
    const err = toClusterError(e, `look up ${o.kind} (${o.apiVersion})`, conn.server);
    if (!(err.details.code === 404)) throw err;
  }
  if (name) return name;
  const plural = `${o.kind.toLowerCase()}s.${groupOf(o.apiVersion)}`;
  throw new Refused(
    `the API server ${conn.server} does not serve ${o.kind} (${o.apiVersion}): its CRD (${plural}) is not installed (kubectl get crd; the repo's CRDs are in kind/crds/)`,
  );
}

function conflictMessage(e: ClusterError, obj: K8sObject): string {
  const owners = (e.details.conflicts ?? []).map((c) => `field manager "${c.manager}" owns ${c.field}`).join('; ');
  return `conflict on ${describeRef(refOf(obj))}: ${owners} with another value; re-run with --force-conflicts to take the field(s) over`;
}

export async function preflight(conn: ClusterConnection, api: FixApi, objects: K8sObject[], opts: PreflightOptions): Promise<PlannedChange[]> {
  const ns = await getObject(conn, { apiVersion: 'v1', kind: 'Namespace', name: opts.namespace });
  if (!ns) throw new Refused(`namespace "${opts.namespace}" does not exist on ${conn.server} (context "${conn.context}")`);

  const resources = new Map<K8sObject, string>();
  for (const o of objects) resources.set(o, await resourceOf(api, conn, o));

  const lives = new Map<K8sObject, K8sObject>();
  for (const o of objects) {
    const live = await getObject(conn, refOf(o));
    if (!live) throw new Refused(`${describeRef(refOf(o))} does not exist: a fix changes existing objects (apply the manifests first)`);
    lives.set(o, live);
  }

  for (const resource of new Set(resources.values())) {
    if (!(await canI(conn, 'patch', resource, opts.namespace))) {
      throw new Refused(
        `user "${conn.user}" may not patch ${resource} in namespace ${opts.namespace} (SelfSubjectAccessReview, context "${conn.context}"): nothing was changed`,
      );
    }
  }

  const planned: PlannedChange[] = [];
  for (const o of objects) {
    try {
      const after = await serverSideApply(conn, o, { fieldManager: opts.fieldManager, dryRun: true, force: opts.forceConflicts });
      planned.push({ patch: o, live: lives.get(o) as K8sObject, after });
    } catch (e) {
      if (e instanceof ClusterError && e.details.reason === 'Conflict') throw new Refused(conflictMessage(e, o));
      throw e;
    }
  }
  return planned;
}
