/**
 * Which checks run on which hop. Specs, the fault self-tests, diagnosis and the Playwright project filters all
 * use this one table, so a check added here shows up everywhere.
 */
import type { Hop, Target } from '../targets/target';
import type { Verdict } from '../verdict';
import type { CheckContext } from './context';
import { connectionLifetimeCheck } from './connection-lifetime';
import { handshakeCheck } from './handshake';
import { healthCheck } from './health';
import { sessionContinuityCheck } from './session-continuity';
import { websocketUpgradeCheck } from './websocket-upgrade';

import type { CheckName, TrafficCheckName } from './names';

export type { CheckName, TrafficCheckName };

export interface TrafficCheck {
  name: TrafficCheckName;
  /** The check's name in reports (the spec's describe block). */
  title: string;
  /** What a passing check proves, as the spec's title ("… via <hop>" is added). */
  claim: string;
  run(ctx: CheckContext): Promise<Verdict>;
  appliesTo(hop: Hop): boolean;
  /** Safe for production: read-only and a bounded number of requests (tagged @smoke, run by the nightly). */
  smoke: boolean;
  /** Allure severity of a failure. */
  severity: 'blocker' | 'critical' | 'normal';
}

export const trafficChecks: TrafficCheck[] = [
  {
    name: 'handshake',
    title: 'Engine.IO handshake',
    claim: 'answers the open packet the target declares',
    run: handshakeCheck,
    appliesTo: () => true,
    smoke: true,
    severity: 'blocker',
  },
  {
    name: 'session-continuity',
    title: 'session continuity',
    claim: 'every request of a session reaches its replica',
    run: sessionContinuityCheck,
    appliesTo: () => true,
    smoke: true,
    severity: 'critical',
  },
  {
    name: 'websocket-upgrade',
    title: 'WebSocket upgrade',
    claim: 'upgrades to websocket and connects the namespace',
    run: websocketUpgradeCheck,
    appliesTo: () => true,
    smoke: true,
    severity: 'critical',
  },
  {
    name: 'connection-lifetime',
    title: 'connection lifetime',
    claim: 'a websocket session lives the declared session length',
    run: connectionLifetimeCheck,
    appliesTo: () => true,
    smoke: true,
    severity: 'critical',
  },
  {
    name: 'health',
    title: 'health endpoint',
    claim: 'answers 200 with the health JSON',
    run: healthCheck,
    appliesTo: (hop) => hop.health,
    smoke: true,
    severity: 'normal',
  },
];

export const allCheckNames: CheckName[] = [...trafficChecks.map((c) => c.name), 'browser-terminal'];

/** The checks that run on one hop, in runAllChecks' order. */
export function checksOnHop(hop: Hop): CheckName[] {
  return [...trafficChecks.filter((c) => c.appliesTo(hop)).map((c) => c.name), ...(hop.browser ? (['browser-terminal'] as const) : [])];
}

/** The (check, hop) pairs a target exposes. */
export function applicablePairs(target: Target): { check: CheckName; hop: string }[] {
  const pairs: { check: CheckName; hop: string }[] = [];
  for (const hop of target.hops) {
    for (const c of trafficChecks) if (c.appliesTo(hop)) pairs.push({ check: c.name, hop: hop.name });
    if (hop.browser) pairs.push({ check: 'browser-terminal', hop: hop.name });
  }
  return pairs;
}

/**
 * A target whose `cluster` section names a real cluster (a kubeconfig or a context) gets the cluster checks in
 * its own project, read-only: that is how the nightly run checks production's manifests. Without one, the
 * cluster checks run in the `cluster` project against the suite's local control plane.
 */
export function hasLiveCluster(target: Target): boolean {
  return Boolean(target.cluster?.kubeconfig || target.cluster?.context);
}

/** The tag that ties a generated test to its (check, hop) pair; project filters select on it. */
export function pairTag(check: string, hop: string): string {
  return `@at:${check}:${hop}`;
}
