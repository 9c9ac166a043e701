/**
 * KubernetesObjectApi that speaks plain JSON. The stock client (1.x) passes every request and response through
 * its generated models: a plain object loses the fields whose model name differs from the JSON name (a CRD's
 * `enum` is `_enum` in the model, so an applied CRD silently lost every enum), and a read drops fields the model
 * does not know. Server-side apply and drift comparison need the bytes the server and the files hold.
 */
import {
  ApiException,
  HttpMethod,
  type KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  PatchStrategy,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { K8sObject, ObjectRef } from './objects';

export interface ApplyOptions {
  /** Required by server-side apply: who owns the fields this request sets. */
  fieldManager: string;
  /** Validate, admit and compute the result without storing it. */
  dryRun?: boolean;
  /** Take over fields another manager owns instead of failing with a conflict. */
  force?: boolean;
}

export class RawObjectApi extends KubernetesObjectApi {
  static fromKubeConfig(kc: KubeConfig): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(text) as T;
    throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', text, response.headers);
  }

  /** Whether the server serves this kind (discovery; a kind without its CRD is not served). */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return false;
      throw e;
    }
  }

  /** The object as stored (404 → ApiException). */
  async get(ref: ObjectRef): Promise<K8sObject> {
    return (await this.read({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    })) as unknown as K8sObject;
  }

  /** Server-side apply with the object sent as JSON, untouched. */
  async apply(obj: K8sObject, opts: ApplyOptions): Promise<K8sObject> {
    // specUriPath fills in a default namespace: give it a copy, the caller's object stays as written.
    const uri = await this.specUriPath(structuredClone(obj) as KubernetesObject, 'patch');
    const ctx = this.configuration.baseServer.makeRequestContext(uri, HttpMethod.PATCH);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    ctx.setQueryParam('fieldManager', opts.fieldManager);
    if (opts.dryRun) ctx.setQueryParam('dryRun', 'All');
    if (opts.force) ctx.setQueryParam('force', 'true');
    ctx.setBody(JSON.stringify(obj));
    return (await this.requestPromise(ctx)) as unknown as K8sObject;
  }
}
