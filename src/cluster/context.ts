/**
 * What every cluster check gets (where objects come from, what the target expects) and the reads they share:
 * an object or a verdict saying why it could not be read, the Service port the Ingress must use, and the
 * BackendConfig that actually applies to it, resolved through the Service annotation as GKE resolves it.
 */
import { stringify } from 'yaml';
import { textEvidence, type VerdictBuilder } from '../checks/evidence';
import { resolveBackendConfig } from '../k8s/backend-config-annotation';
import { ClusterError } from '../k8s/errors';
import type { ObjectSource } from '../k8s/object-source';
import { describeRef, type K8sObject, type ObjectRef, stripServerFields } from '../k8s/objects';
import type { Verdict } from '../verdict';
import { backendConfigRef, type ClusterExpectation, serviceRef } from './expectation';

export interface ClusterCheckContext {
  source: ObjectSource;
  expect: ClusterExpectation;
}

export const clusterHop = 'cluster';

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: string | number;
}

export function isVerdict(x: unknown): x is Verdict {
  return typeof x === 'object' && x !== null && 'ok' in x && 'check' in x;
}

/** The object (attached to the verdict as evidence), or a failed verdict: missing, or unreadable. */
export async function readObject(ctx: ClusterCheckContext, v: VerdictBuilder, ref: ObjectRef): Promise<K8sObject | Verdict> {
  let obj: K8sObject | undefined;
  try {
    obj = await ctx.source.get(ref);
  } catch (e) {
    if (!(e instanceof ClusterError)) throw e;
    const cause = e.details.reason === 'KindNotServed' ? 'object-missing' : 'target-unreachable';
    return v.fail(cause, `could not read ${describeRef(ref)} from ${ctx.source.describe}: ${e.message}`);
  }
  if (!obj) return v.fail('object-missing', `${describeRef(ref)} does not exist (${ctx.source.describe})`);
  v.attach(textEvidence(describeRef(ref), `# from ${ctx.source.describe}\n${stringify(stripServerFields(obj))}`));
  return obj;
}

export function servicePorts(service: K8sObject): ServicePort[] {
  return ((service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).map((p) => ({ ...p }));
}

/** The Service port a name or number designates (an Ingress backend or the target's `servicePort`). */
export function findServicePort(service: K8sObject, key: string | number | undefined): ServicePort | undefined {
  if (key === undefined) return undefined;
  return servicePorts(service).find((p) => (typeof key === 'number' ? p.port === key : p.name === key || String(p.port) === key));
}

export function describePort(p: ServicePort): string {
  return p.name ? `${p.name} (${p.port})` : String(p.port);
}

/**
 * The BackendConfig GKE would apply to the expected Service port (src/k8s/backend-config-annotation.ts). Every
 * failure here voids every BackendConfig setting at once, so the BackendConfig checks report it as their cause
 * rather than the setting they look at.
 */
export async function attachedBackendConfig(ctx: ClusterCheckContext, v: VerdictBuilder): Promise<K8sObject | Verdict> {
  const service = await readObject(ctx, v, serviceRef(ctx.expect));
  if (isVerdict(service)) return service;
  const where = describeRef(serviceRef(ctx.expect));
  const r = resolveBackendConfig(service, ctx.expect.servicePort);
  if (!r.ok && r.why === 'no-annotation') {
    return v.fail(
      'backendconfig-not-attached',
      `${where} has no cloud.google.com/backend-config annotation: no BackendConfig applies, GKE's defaults do (timeout 30 s, no affinity)`,
    );
  }
  if (!r.ok && r.why === 'not-json') {
    return v.fail('manifest-invalid', `${where} annotation ${r.annotation} is not a JSON object: ${JSON.stringify(r.raw)} (GKE ignores it)`);
  }
  if (!r.ok) {
    const port = findServicePort(service, ctx.expect.servicePort);
    return v.fail(
      'backendconfig-not-attached',
      `${where} annotation ${r.annotation} ${r.raw} names no BackendConfig for port ${port ? describePort(port) : ctx.expect.servicePort}`,
    );
  }
  const bc = await readObject(ctx, v, backendConfigRef(ctx.expect, r.name));
  if (isVerdict(bc) && bc.cause === 'object-missing') {
    return v.fail('backendconfig-not-attached', `${where} names BackendConfig "${r.name}", which does not exist in namespace ${ctx.expect.namespace}`);
  }
  return bc;
}
