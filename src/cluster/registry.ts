/**
 * The cluster checks (hop `cluster`): one table that specs, self-tests, fixes (`proves:`) and diagnosis share,
 * like src/checks/registry.ts for traffic. A check added here is picked up by all of them.
 */
import type { CauseId } from '../causes/catalogue';
import type { Verdict } from '../verdict';
import {
  backendConfigAffinityCheck,
  backendConfigCdnCheck,
  backendConfigDrainingCheck,
  backendConfigHealthCheck,
  backendConfigTimeoutCheck,
} from './backendconfig';
import type { ClusterCheckContext } from './context';
import { driftCheck } from './drift';
import { ingressRoutingCheck } from './ingress';
import { serviceBackendConfigCheck, serviceNegCheck } from './service';

export const clusterCheckIds = [
  'service-backend-config',
  'service-neg',
  'backendconfig-cdn',
  'backendconfig-affinity',
  'backendconfig-timeout',
  'backendconfig-draining',
  'backendconfig-health-check',
  'ingress-routing',
  'drift',
] as const;

export type ClusterCheckId = (typeof clusterCheckIds)[number];

export interface ClusterCheck {
  id: ClusterCheckId;
  title: string;
  run(ctx: ClusterCheckContext): Promise<Verdict>;
  /** Needs an API server (drift's dry run); skipped on a files source. */
  liveOnly: boolean;
  /** The cause it reports when the setting it owns is wrong (other causes come from shared reads). */
  cause: CauseId;
  severity: 'blocker' | 'critical' | 'normal';
}

export const clusterChecks: ClusterCheck[] = [
  { id: 'service-backend-config', title: 'Service names an existing BackendConfig', run: serviceBackendConfigCheck, liveOnly: false, cause: 'backendconfig-not-attached', severity: 'blocker' },
  { id: 'service-neg', title: 'Service uses NEGs (container-native LB)', run: serviceNegCheck, liveOnly: false, cause: 'session-affinity', severity: 'critical' },
  { id: 'backendconfig-cdn', title: 'BackendConfig: CDN off', run: backendConfigCdnCheck, liveOnly: false, cause: 'cdn-caching', severity: 'critical' },
  { id: 'backendconfig-affinity', title: 'BackendConfig: session affinity', run: backendConfigAffinityCheck, liveOnly: false, cause: 'session-affinity', severity: 'blocker' },
  { id: 'backendconfig-timeout', title: 'BackendConfig: timeout covers the session', run: backendConfigTimeoutCheck, liveOnly: false, cause: 'connection-lifetime-cut', severity: 'critical' },
  { id: 'backendconfig-draining', title: 'BackendConfig: connection draining', run: backendConfigDrainingCheck, liveOnly: false, cause: 'draining-missing', severity: 'normal' },
  { id: 'backendconfig-health-check', title: 'BackendConfig: health check path', run: backendConfigHealthCheck, liveOnly: false, cause: 'health-endpoint-down', severity: 'normal' },
  { id: 'ingress-routing', title: 'Ingress routes to the combined Service', run: ingressRoutingCheck, liveOnly: false, cause: 'ingress-routing', severity: 'blocker' },
  { id: 'drift', title: "live objects match the repo's manifests", run: driftCheck, liveOnly: true, cause: 'manifest-drift', severity: 'normal' },
];

export function clusterCheck(id: string): ClusterCheck {
  const found = clusterChecks.find((c) => c.id === id);
  if (!found) throw new Error(`unknown cluster check "${id}": known checks are ${clusterCheckIds.join(', ')}`);
  return found;
}

/** The checks that can run on this source (drift only on a live one). */
export function applicableClusterChecks(ctx: ClusterCheckContext): ClusterCheck[] {
  return clusterChecks.filter((c) => !c.liveOnly || ctx.source.kind === 'live');
}

/** Runs every applicable cluster check, one after another (they read a handful of objects each). */
export async function runClusterChecks(ctx: ClusterCheckContext): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const c of applicableClusterChecks(ctx)) verdicts.push(await c.run(ctx));
  return verdicts;
}
