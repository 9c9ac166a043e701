/**
 * The manifests drive the local traffic, live: read the objects of a namespace on an API server, turn them into
 * topology settings (topology-from-objects.ts), start the embedded topology with them. The fix story's specs start
 * one per state; the playground (src/playground/) starts a new one whenever the objects' settings change.
 * The objects read are recorded, so a caller can say what it re-read (kind, name, resourceVersion).
 */
import { formatVerdictTable } from '../checks/run-all';
import { trafficChecks } from '../checks/registry';
import { loadTarget, withHopUrls } from '../targets/load';
import { type DeepPartial, healthySettings } from '../topology/defaults';
import { startTopology } from '../topology/topology';
import type { RunningTopology, TopologySettings } from '../topology/types';
import type { Verdict } from '../verdict';
import type { ClusterConnection } from '../k8s/client';
import { liveSource, type ObjectSource } from '../k8s/object-source';
import { describeRef, type ObjectRef } from '../k8s/objects';
import { settingsFromObjects } from '../k8s/topology-from-objects';

export type Overrides = DeepPartial<TopologySettings>;

export interface LiveRead {
  overrides: Overrides;
  /** `Kind namespace/name` → resourceVersion ('absent' when the object does not exist). */
  versions: Record<string, string>;
}

/** An ObjectSource that notes the resourceVersion of everything read through it. */
function recording(source: ObjectSource, versions: Record<string, string>): ObjectSource {
  return {
    ...source,
    get: async (ref: ObjectRef) => {
      const o = await source.get(ref);
      versions[describeRef(ref)] = o ? String(o.metadata.resourceVersion ?? '?') : 'absent';
      return o;
    },
  };
}

/** The settings the live objects of `namespace` give the local topology, and what was read to get them. */
export async function readLiveSettings(conn: ClusterConnection, namespace: string): Promise<LiveRead> {
  const versions: Record<string, string> = {};
  const overrides = await settingsFromObjects(recording(liveSource(conn), versions), { names: { namespace } });
  return { overrides, versions };
}

export async function topologyFromOverrides(overrides: Overrides): Promise<RunningTopology> {
  return startTopology(healthySettings(overrides));
}

/**
 * The traffic checks at the load balancer (the hop users reach, and the only one the BackendConfig acts on),
 * one after another, on the local target's declarations.
 */
export async function lbVerdicts(topology: RunningTopology, only?: string[]): Promise<Verdict[]> {
  const target = withHopUrls(loadTarget('local'), topology.hopUrls);
  const lb = target.hops.find((h) => h.name === 'lb');
  if (!lb) throw new Error('the local target has no lb hop');
  const verdicts: Verdict[] = [];
  for (const check of trafficChecks) {
    if (check.appliesTo(lb) && (!only || only.includes(check.name))) verdicts.push(await check.run({ target, hop: lb }));
  }
  return verdicts;
}

/** For a report: the settings taken from the objects and the verdict table. */
export function describeLiveTraffic(overrides: Overrides, verdicts: Verdict[]): string {
  return `settings from the live objects: ${JSON.stringify(overrides)}\n\n${formatVerdictTable(verdicts)}`;
}
