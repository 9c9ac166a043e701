/**
 * Where session affinity can come from for a Service, per balancer in front of it:
 *  - GKE's load balancer: only the attached BackendConfig's sessionAffinity (resolved per port as GKE does,
 *    src/k8s/backend-config-annotation.ts); it ignores the Service's spec.sessionAffinity (kubernetes#53886);
 *  - ingress-nginx: its own `affinity: cookie` or `upstream-hash-by` annotations; it sends to the endpoints, not
 *    the ClusterIP, so the Service's sessionAffinity does not apply either (unless `service-upstream: "true"`);
 *  - kube-proxy (in-cluster clients of the ClusterIP): the Service's spec.sessionAffinity.
 */
import { resolveBackendConfig } from '../../k8s/backend-config-annotation';
import { specOf } from '../../k8s/backendconfig-spec';
import type { ManifestDoc } from '../yaml/documents';
import { annotationsOf, type ManifestSet, record, routesTo, servicePorts } from './model';

export function serviceAffinity(service: ManifestDoc): string | undefined {
  const value = record(service.object.spec).sessionAffinity;
  return typeof value === 'string' && value !== 'None' ? value : undefined;
}

/** Is the Service behind GKE's load balancer: routed by a GKE Ingress, or carrying GKE's load balancer annotations. */
export function behindGke(set: ManifestSet, service: ManifestDoc): boolean {
  const annotations = annotationsOf(service.object);
  return routesTo(set, service, 'gke').length > 0 || ['cloud.google.com/neg', 'cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config'].some((a) => a in annotations);
}

/** The BackendConfig affinity type GKE applies to some port of the Service (undefined: none). */
export function backendConfigAffinity(set: ManifestSet, service: ManifestDoc): string | undefined {
  for (const port of servicePorts(service.object)) {
    const r = resolveBackendConfig(service.object, port.name ?? port.port);
    if (!r.ok) continue;
    const bc = set.find('BackendConfig', r.name, service.object.metadata.namespace);
    const type = bc ? specOf(bc.object).sessionAffinity?.affinityType : undefined;
    if (type && type !== 'NONE') return type;
  }
  return undefined;
}

const nginxAffinityKeys = ['nginx.ingress.kubernetes.io/affinity', 'nginx.ingress.kubernetes.io/upstream-hash-by'];

export interface NginxRouting {
  routed: boolean;
  /** Some ingress-nginx Ingress routing to it sets affinity. */
  affinity: boolean;
  /** Some ingress-nginx Ingress routing to it goes through the ClusterIP (`service-upstream: "true"`). */
  viaClusterIp: boolean;
}

export function nginxRouting(set: ManifestSet, service: ManifestDoc): NginxRouting {
  const routes = routesTo(set, service, 'nginx');
  const annotations = routes.map((r) => annotationsOf(r.ingress.object));
  return {
    routed: routes.length > 0,
    affinity: annotations.some((a) => nginxAffinityKeys.some((k) => a[k] !== undefined && a[k] !== '')),
    viaClusterIp: annotations.some((a) => a['nginx.ingress.kubernetes.io/service-upstream'] === 'true'),
  };
}
