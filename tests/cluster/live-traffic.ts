/**
 * The fix story's view of the traffic: a topology per state, started from the LIVE objects of a namespace
 * (src/runtime/live-topology.ts, which the playground uses too), the traffic checks through the load balancer, the
 * settings and verdicts attached to the report, the topology stopped. Settings are fixed at start, as a load
 * balancer's are after the controller syncs.
 */
import type { TestInfo } from '@playwright/test';
import { verdictTable } from '../../src/checks/run-all';
import type { ClusterConnection } from '../../src/k8s/client';
import { describeLiveTraffic, lbVerdicts, readLiveSettings, topologyFromOverrides } from '../../src/runtime/live-topology';
import type { Verdict } from '../../src/verdict';

export interface TrafficState {
  /** `check@lb` → `ok` or the cause. */
  table: Record<string, string>;
  verdicts: Verdict[];
}

export async function trafficFromLiveObjects(
  conn: ClusterConnection,
  namespace: string,
  label: string,
  testInfo: TestInfo,
  only?: string[],
): Promise<TrafficState> {
  const { overrides } = await readLiveSettings(conn, namespace);
  const topology = await topologyFromOverrides(overrides);
  try {
    const verdicts = await lbVerdicts(topology, only);
    await testInfo.attach(`traffic: ${label}`, { body: describeLiveTraffic(overrides, verdicts), contentType: 'text/plain' });
    return { table: verdictTable(verdicts), verdicts };
  } finally {
    await topology.stop();
  }
}
