/**
 * The manifests drive the local traffic: what the GKE load balancer would do with these objects, as overrides
 * of the local topology (src/topology/defaults.ts). Only what GKE reads counts:
 * - replicas: the Deployment's spec.replicas (Kubernetes default 1);
 * - affinity: the attached BackendConfig's sessionAffinity ONLY (CLIENT_IP → client-ip, GENERATED_COOKIE →
 *   cookie, absent/NONE → none). The Service's spec.sessionAffinity is ignored, as GKE ignores it;
 * - lifetime cap: the BackendConfig timeoutSec (GKE's 30 s when absent, or when no BackendConfig is attached),
 *   scaled like Theia's ping timers locally (1/60: 30 s → 500 ms, 3600 s → 60 s);
 * - cdnCache: cdn.enabled.
 * The BackendConfig is found as GKE finds it: through the Service's annotation (port entry, else default).
 * What is not emulated is listed in docs/manifests.md.
 */
import type { Affinity, TopologySettings } from '../topology/types';
import type { DeepPartial } from '../topology/defaults';
import type { ObjectSource } from './object-source';
import { resolveBackendConfig } from './backend-config-annotation';
import { GKE_DEFAULT_TIMEOUT_SEC } from './backendconfig-spec';

/** Theia's pingInterval 30000 → 500 ms locally: the same factor scales every duration taken from manifests. */
export const LOCAL_TIME_SCALE = 1 / 60;

export interface ObjectNames {
  namespace: string;
  deployment: string;
  service: string;
  /** Service port (name or number) the Ingress uses: selects a `ports` entry of the backend-config annotation. */
  servicePort: string | number;
}

export const productionNames: ObjectNames = { namespace: 'theia', deployment: 'theia', service: 'theia', servicePort: 'http' };

export interface MappingOptions {
  /** Factor from real seconds to local milliseconds ÷ 1000 (default 1/60). */
  scale?: number;
  names?: Partial<ObjectNames>;
}

const affinityOf: Record<string, Affinity> = { CLIENT_IP: 'client-ip', GENERATED_COOKIE: 'cookie' };

export async function settingsFromObjects(source: ObjectSource, opts: MappingOptions = {}): Promise<DeepPartial<TopologySettings>> {
  const scale = opts.scale ?? LOCAL_TIME_SCALE;
  const n = { ...productionNames, ...opts.names };
  const deployment = await source.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: n.deployment, namespace: n.namespace });
  const service = await source.get({ apiVersion: 'v1', kind: 'Service', name: n.service, namespace: n.namespace });
  // GKE ignores an annotation it cannot use: then no BackendConfig applies and its defaults do.
  const attached = service ? resolveBackendConfig(service, n.servicePort) : undefined;
  const bc = attached?.ok
    ? await source.get({ apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', name: attached.name, namespace: n.namespace })
    : undefined;
  const spec = (bc?.spec ?? {}) as { timeoutSec?: number; sessionAffinity?: { affinityType?: string }; cdn?: { enabled?: boolean } };
  const replicas = (deployment?.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const timeoutSec = spec.timeoutSec ?? GKE_DEFAULT_TIMEOUT_SEC;
  return {
    replicas,
    lb: {
      affinity: affinityOf[spec.sessionAffinity?.affinityType ?? 'NONE'] ?? 'none',
      lifetimeCapMs: Math.round(timeoutSec * 1000 * scale),
      cdnCache: spec.cdn?.enabled === true,
    },
  };
}
