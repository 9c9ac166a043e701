/**
 * A connection to one cluster (kubeconfig + context), checked up front: a missing kubeconfig, an unknown context
 * or an API server that does not answer /version within a few seconds fails in connect(), in one line, before
 * any check or fix runs. Then: get, server-side apply, delete, access reviews, CRD presence.
 * Credentials stay inside the KubeConfig: messages and describeConnection() name the server, context and user.
 */
import { existsSync } from 'node:fs';
import { ApiException, AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { ClusterError, toClusterError } from './errors';
import { kubeconfigChoice } from './kubeconfig-path';
import { describeRef, type K8sObject, type ObjectRef } from './objects';
import { probeVersion } from './probe-version';
import { type ApplyOptions, RawObjectApi } from './raw-api';

export { ClusterError, type FieldConflict } from './errors';
export { type K8sObject, type ObjectRef, stripServerFields } from './objects';
export type { ApplyOptions } from './raw-api';

export interface ConnectOptions {
  /** Path to a kubeconfig; default $KUBECONFIG (first entry), else ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use; default the kubeconfig's current-context. */
  context?: string;
  /** Deadline for the API server's /version answer (default 3000 ms). */
  timeoutMs?: number;
}

export interface ClusterConnection {
  kc: KubeConfig;
  kubeconfig: string;
  context: string;
  server: string;
  /** The kubeconfig user entry's NAME (never its credentials). */
  user: string;
  /** The API server's gitVersion, e.g. v1.34.12. */
  serverVersion: string;
  objects: RawObjectApi;
}

export async function connect(opts: ConnectOptions = {}): Promise<ClusterConnection> {
  const file = kubeconfigChoice(opts.kubeconfig).file;
  if (!existsSync(file)) {
    throw new ClusterError(`no kubeconfig at ${file}: pass a kubeconfig path, set KUBECONFIG, or create ~/.kube/config`, {
      reason: 'Config',
    });
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (e) {
    throw new ClusterError(`${file}: not a valid kubeconfig: ${String((e as Error).message).split('\n')[0]}`, { reason: 'Config' });
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ClusterError(
        `context "${opts.context}" is not in ${file}: known contexts are ${known.join(', ') || '(none)'}`,
        { reason: 'Config' },
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!context || !cluster) throw new ClusterError(`${file}: no current context (name one)`, { reason: 'Config' });
  const server = cluster.server;
  const user = kc.getCurrentUser()?.name ?? '(none)';
  let serverVersion: string;
  try {
    serverVersion = await probeVersion(kc, server, opts.timeoutMs ?? 3000);
  } catch (e) {
    const err = toClusterError(e, `connect to context "${context}"`, server);
    if (err.details.code === 401) {
      throw new ClusterError(`connect to context "${context}": the API server ${server} rejected user "${user}" (401)`, err.details);
    }
    throw err;
  }
  return { kc, kubeconfig: file, context, server, user, serverVersion, objects: RawObjectApi.fromKubeConfig(kc) };
}

/** `context "x" (user "y") at https://…, v1.34.12`: safe for logs and reports. */
export function describeConnection(conn: ClusterConnection): string {
  return `context "${conn.context}" (user "${conn.user}") at ${conn.server}, ${conn.serverVersion}`;
}

function isNotFound(e: unknown): boolean {
  if (!(e instanceof ApiException) || e.code !== 404) return false;
  // A 404 from discovery (the kind is not served) is not "the object does not exist".
  return !/^Failed to fetch resource metadata/.test(e.message);
}

/** The object as the server stores it (plain JSON), or undefined when it does not exist. */
export async function getObject(conn: ClusterConnection, ref: ObjectRef): Promise<K8sObject | undefined> {
  try {
    return await conn.objects.get(ref);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw toClusterError(e, `get ${describeRef(ref)}`, conn.server);
  }
}

/** Server-side apply: the server merges `obj` (a full or partial manifest) and records `fieldManager` as owner. */
export async function serverSideApply(conn: ClusterConnection, obj: K8sObject, opts: ApplyOptions): Promise<K8sObject> {
  const action = `${opts.dryRun ? 'dry-run apply' : 'apply'} ${describeRef({ ...obj, ...obj.metadata })}`;
  try {
    return await conn.objects.apply(obj, opts);
  } catch (e) {
    throw toClusterError(e, `${action} as "${opts.fieldManager}"`, conn.server);
  }
}

/** Deletes an object; false when it was already gone (rollback tolerates NotFound). */
export async function deleteObject(conn: ClusterConnection, ref: ObjectRef): Promise<boolean> {
  try {
    await conn.objects.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw toClusterError(e, `delete ${describeRef(ref)}`, conn.server);
  }
}

/**
 * SelfSubjectAccessReview: may this connection's user do `verb` on `resource`? `resource` may carry its group
 * as kubectl writes it: `backendconfigs.cloud.google.com`, `deployments.apps`, `services`.
 */
export async function canI(conn: ClusterConnection, verb: string, resource: string, namespace?: string): Promise<boolean> {
  const dot = resource.indexOf('.');
  const [plural, group] = dot < 0 ? [resource, ''] : [resource.slice(0, dot), resource.slice(dot + 1)];
  try {
    const review = await conn.kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb, resource: plural, group, namespace } } },
    });
    return review.status?.allowed === true;
  } catch (e) {
    throw toClusterError(e, `access review ${verb} ${resource}`, conn.server);
  }
}

/** Whether the CRD `name` (e.g. backendconfigs.cloud.google.com) exists and is Established (served). */
export async function crdInstalled(conn: ClusterConnection, name: string): Promise<boolean> {
  const crd = await getObject(conn, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
  const conditions = (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}
