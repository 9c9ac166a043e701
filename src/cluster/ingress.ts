/**
 * Ingress routing: every path the target declares (`/`, `/theia/`) must reach the combined Service on the port
 * of the in-pod nginx. Routing to Theia's own port skips the proxy that answers /health and forwards upgrades.
 * Matching follows the Ingress API: Exact, Prefix (element-wise), ImplementationSpecific as GKE reads it (`/x/*`
 * is a prefix, anything else exact); the longest match wins, then spec.defaultBackend.
 */
import { VerdictBuilder } from '../checks/evidence';
import { describeRef, type K8sObject } from '../k8s/objects';
import type { Verdict } from '../verdict';
import { type ClusterCheckContext, clusterHop, describePort, findServicePort, isVerdict, readObject } from './context';
import { ingressRef, serviceRef } from './expectation';

interface Backend {
  service?: { name: string; port?: { name?: string; number?: number } };
}
interface IngressPath {
  path?: string;
  pathType?: string;
  backend: Backend;
}
interface IngressSpec {
  defaultBackend?: Backend;
  rules?: { host?: string; http?: { paths?: IngressPath[] } }[];
}

/** Length of the match (longer wins), or -1. */
export function matchLength(rule: IngressPath, requestPath: string): number {
  const path = rule.path ?? '/';
  const type = rule.pathType ?? 'ImplementationSpecific';
  if (type === 'Exact') return path === requestPath ? path.length : -1;
  if (type === 'ImplementationSpecific' && !path.endsWith('/*')) return path === requestPath ? path.length : -1;
  const prefix = type === 'Prefix' ? path.replace(/\/+$/, '') : path.slice(0, -2);
  if (prefix === '') return 0; // `/` or `/*`: matches everything, weakest
  return requestPath === prefix || requestPath.startsWith(`${prefix}/`) ? prefix.length : -1;
}

/** The backend the load balancer would use for `requestPath` (host rules included), with what matched. */
export function routeFor(ingress: K8sObject, requestPath: string): { backend?: Backend; via: string } {
  const spec = (ingress.spec ?? {}) as IngressSpec;
  let best: { len: number; p: IngressPath; host?: string } | undefined;
  for (const rule of spec.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      const len = matchLength(p, requestPath);
      if (len >= 0 && (!best || len > best.len)) best = { len, p, host: rule.host };
    }
  }
  if (best) return { backend: best.p.backend, via: `${best.host ? `host ${best.host} ` : ''}path ${best.p.path} (${best.p.pathType})` };
  if (spec.defaultBackend) return { backend: spec.defaultBackend, via: 'spec.defaultBackend' };
  return { via: 'no rule and no defaultBackend (GKE answers 404 from its default backend)' };
}

export async function ingressRoutingCheck(ctx: ClusterCheckContext): Promise<Verdict> {
  const { names, servicePort, paths } = ctx.expect;
  const v = new VerdictBuilder(
    'ingress-routing',
    clusterHop,
    `Ingress ${names.ingress} routes ${paths.join(', ')} to Service ${names.service} port ${servicePort} (the in-pod nginx)`,
  );
  const ingress = await readObject(ctx, v, ingressRef(ctx.expect));
  if (isVerdict(ingress)) return ingress;
  const service = await readObject(ctx, v, serviceRef(ctx.expect));
  if (isVerdict(service)) return service;
  const wanted = findServicePort(service, servicePort);
  if (!wanted) return v.fail('ingress-routing', `${describeRef(serviceRef(ctx.expect))} has no port ${servicePort} for the Ingress to route to`);

  const wrong: string[] = [];
  const right: string[] = [];
  for (const path of paths) {
    const { backend, via } = routeFor(ingress, path);
    const svc = backend?.service;
    const port = svc?.name === names.service ? findServicePort(service, svc.port?.name ?? svc.port?.number) : undefined;
    if (!svc) wrong.push(`${path} → nothing: ${via}`);
    else if (svc.name !== names.service) wrong.push(`${path} → Service ${svc.name} via ${via}`);
    else if (port !== undefined && port.port === wanted.port) right.push(`${path} → ${svc.name}:${describePort(port)}`);
    else {
      const named = svc.port?.name ?? svc.port?.number;
      wrong.push(`${path} → ${svc.name} port ${port ? describePort(port) : `${named} (not a port of the Service)`} via ${via}, not ${describePort(wanted)}`);
    }
  }
  if (wrong.length > 0) return v.fail('ingress-routing', `${describeRef(ingressRef(ctx.expect))}: ${wrong.join('; ')}`);
  return v.pass(`${describeRef(ingressRef(ctx.expect))}: ${right.join('; ')}`);
}
