/**
 * The BackendConfig fields a Socket.IO app depends on (kubernetes/ingress-gce pkg/apis/backendconfig/v1/types.go)
 * and GKE's default when one is absent. Plain data, no client: the cluster checks, the manifests → topology mapping
 * and the linter share it.
 */
import type { K8sObject } from './objects';

/** GKE's backend service timeout when BackendConfig sets none. */
export const GKE_DEFAULT_TIMEOUT_SEC = 30;

export interface BackendConfigSpec {
  timeoutSec?: number;
  sessionAffinity?: { affinityType?: string; affinityCookieTtlSec?: number };
  cdn?: { enabled?: boolean };
  connectionDraining?: { drainingTimeoutSec?: number };
  healthCheck?: { requestPath?: string; port?: number; type?: string };
}

export function specOf(bc: K8sObject): BackendConfigSpec {
  return (bc.spec ?? {}) as BackendConfigSpec;
}
