/**
 * What applying and restoring a fix needs beyond src/k8s/client.ts: a plain-JSON PUT (a restore must REPLACE the
 * object, so fields the fix added disappear, which a server-side apply of the old object would not do when
 * another manager owns them), a plain-JSON create (an object deleted since the backup), and the resource's plural
 * (for SelfSubjectAccessReview). Built on RawObjectApi so bodies are never passed through the client's models.
 */
import { HttpMethod, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { ClusterConnection } from '../../k8s/client';
import { toClusterError } from '../../k8s/errors';
import { describeRef, groupOf, type K8sObject, refOf } from '../../k8s/objects';
import { RawObjectApi } from '../../k8s/raw-api';

/** The field manager a restore's PUT is recorded under (transient: the second PUT puts the old owners back). */
export const RESTORE_FIELD_MANAGER = 'socketproof-rollback';

export class FixApi extends RawObjectApi {
  static forConnection(conn: ClusterConnection): FixApi {
    return FixApi.from(conn.kc);
  }

  private static from(kc: KubeConfig): FixApi {
    const api = kc.makeApiClient(FixApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  /** `backendconfigs.cloud.google.com`, `services`: the resource as RBAC and kubectl name it. */
  async resourceName(apiVersion: string, kind: string): Promise<string | undefined> {
    const r = await this.resource(apiVersion, kind);
    if (!r) return undefined;
    const group = groupOf(apiVersion);
    return group ? `${r.name}.${group}` : r.name;
  }

  /** PUT: the object becomes exactly `obj` (metadata.resourceVersion makes it conditional). */
  async put(obj: K8sObject, fieldManager = RESTORE_FIELD_MANAGER): Promise<K8sObject> {
    return this.send(obj, 'replace', HttpMethod.PUT, fieldManager);
  }

  /** POST: recreate an object that was deleted since the backup. */
  async recreate(obj: K8sObject, fieldManager = RESTORE_FIELD_MANAGER): Promise<K8sObject> {
    return this.send(obj, 'create', HttpMethod.POST, fieldManager);
  }

  private async send(obj: K8sObject, action: 'replace' | 'create', method: HttpMethod, fieldManager: string): Promise<K8sObject> {
    const uri = await this.specUriPath(structuredClone(obj) as KubernetesObject, action);
    const ctx = this.configuration.baseServer.makeRequestContext(uri, method);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('Content-Type', 'application/json');
    ctx.setQueryParam('fieldManager', fieldManager);
    ctx.setBody(JSON.stringify(obj));
    return (await this.requestPromise(ctx)) as unknown as K8sObject;
  }
}

/** Same as FixApi.put, with errors turned into one-line ClusterErrors. */
export async function putObject(api: FixApi, conn: ClusterConnection, obj: K8sObject): Promise<K8sObject> {
  try {
    return await api.put(obj);
  } catch (e) {
    throw toClusterError(e, `restore ${describeRef(refOf(obj))}`, conn.server);
  }
}

export async function createObject(api: FixApi, conn: ClusterConnection, obj: K8sObject): Promise<K8sObject> {
  try {
    return await api.recreate(obj);
  } catch (e) {
    throw toClusterError(e, `recreate ${describeRef(refOf(obj))}`, conn.server);
  }
}
