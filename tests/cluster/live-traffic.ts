/**
 * The manifests drive the local traffic (src/k8s/topology-from-objects.ts): read the LIVE objects of a
 * namespace, turn them into topology settings, start the embedded topology with them, run the traffic checks
 * through the load balancer (the hop users reach, and the only one the BackendConfig acts on), stop it.
 * A topology per state: settings are fixed at start, as a load balancer's are after the controller syncs.
 */
import type { TestInfo } from '@playwright/test';
import { formatVerdictTable, verdictTable } from '../../src/checks/run-all';
import { trafficChecks } from '../../src/checks/registry';
import type { ClusterConnection } from '../../src/k8s/client';
import { liveSource } from '../../src/k8s/object-source';
import { settingsFromObjects } from '../../src/k8s/topology-from-objects';
import { loadTarget, withHopUrls } from '../../src/targets/load';
import { healthySettings } from '../../src/topology/defaults';
import { startTopology } from '../../src/topology/topology';
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
  const overrides = await settingsFromObjects(liveSource(conn), { names: { namespace } });
  const topology = await startTopology(healthySettings(overrides));
  try {
    const target = withHopUrls(loadTarget('local'), topology.hopUrls);
    const lb = target.hops.find((h) => h.name === 'lb');
    if (!lb) throw new Error('the local target has no lb hop');
    const verdicts: Verdict[] = [];
    for (const check of trafficChecks) {
      if (check.appliesTo(lb) && (!only || only.includes(check.name))) verdicts.push(await check.run({ target, hop: lb }));
    }
    await testInfo.attach(`traffic: ${label}`, {
      body: `settings from the live objects: ${JSON.stringify(overrides)}\n\n${formatVerdictTable(verdicts)}`,
      contentType: 'text/plain',
    });
    return { table: verdictTable(verdicts), verdicts };
  } finally {
    await topology.stop();
  }
}
