/**
 * The embedded topology following the live objects: the objects are read every POLL_MS; when what the load
 * balancer reads changes, the traffic follows. A change of affinity, timeout or CDN (BackendConfig) starts a new
 * load balancer in front of the same pods (as on GKE, where a BackendConfig change restarts no pod); a change of
 * replicas (Deployment) starts a whole new topology. Either way the front door sends new connections to the new
 * one and the old one is stopped. Polling rather than a watch: three GETs on loopback every quarter second cost
 * nothing, and a poll cannot silently stop like a dropped watch.
 */
import type { ClusterConnection } from '../k8s/client';
import { type LiveRead, type Overrides, readLiveSettings, topologyFromOverrides } from '../runtime/live-topology';
import { healthySettings } from '../topology/defaults';
import { type FrontDoor, startFrontDoor } from '../topology/front-door';
import { type LbLayer, startLbLayer } from '../topology/lb-layer';
import type { RunningTopology } from '../topology/types';

const POLL_MS = 250;

export interface Follower {
  url: string;
  /** JSON of the settings the traffic follows now. */
  served(): string;
  /** Every process serving the traffic now (topology and load balancer). */
  pids(): number[];
  stop(): Promise<void>;
}

/** `replicas 2, affinity none, lifetime cap 500 ms, CDN off`: the settings as a reader knows them. */
export function describeSettings(o: Overrides): string {
  const cap = o.lb?.lifetimeCapMs;
  return [
    `replicas ${o.replicas ?? '?'}`,
    `affinity ${o.lb?.affinity ?? '?'}`,
    `lifetime cap ${cap === null || cap === undefined ? 'none' : `${cap} ms`}`,
    `CDN ${o.lb?.cdnCache ? 'on' : 'off'}`,
  ].join(', ');
}

function settingChanges(before: Overrides, after: Overrides): string {
  const a = describeSettings(before).split(', ');
  const b = describeSettings(after).split(', ');
  const changed = b.flatMap((item, i) => {
    const old = a[i] ?? '';
    if (old === item) return [];
    const name = item.replace(/ [^ ]+( ms)?$/, '');
    return [`${name} ${old.slice(name.length + 1)} → ${item.slice(name.length + 1)}`];
  });
  return changed.length > 0 ? changed.join(', ') : 'nothing the load balancer reads';
}

function changedObjects(before: LiveRead['versions'], after: LiveRead['versions']): string {
  const keys = Object.keys(after).filter((k) => before[k] !== after[k]);
  return keys.map((k) => `${k} (resourceVersion ${before[k] ?? 'none'} → ${after[k]})`).join(', ');
}

const portOf = (url: string) => Number(new URL(url).port);

export async function followLiveObjects(
  conn: ClusterConnection,
  namespace: string,
  say: (line: string) => void,
  onSwap: () => void,
): Promise<Follower> {
  let last = await readLiveSettings(conn, namespace);
  let topology: RunningTopology = await topologyFromOverrides(last.overrides);
  /** A load balancer started after a BackendConfig change, in front of `topology`'s pods (else its own serves). */
  let layer: LbLayer | undefined;
  let served = JSON.stringify(last.overrides);
  let door: FrontDoor;
  try {
    door = await startFrontDoor(portOf(topology.lbUrl));
  } catch (e) {
    await topology.stop();
    throw e;
  }
  say(`traffic follows the live objects: ${describeSettings(last.overrides)}`);

  /** Serve `overrides`: a new load balancer, or a new topology when the replicas changed; ms until it serves. */
  const follow = async (overrides: Overrides, t0: number): Promise<string> => {
    const settings = healthySettings(overrides);
    if (settings.replicas === topology.settings.replicas) {
      const fresh = await startLbLayer(settings.lb, topology.pods);
      door.retarget(fresh.port);
      const ms = Date.now() - t0;
      const old = layer;
      layer = fresh;
      await old?.stop();
      return `new load balancer, same pods, serving after ${ms} ms`;
    }
    const fresh = await topologyFromOverrides(overrides);
    door.retarget(portOf(fresh.lbUrl));
    const ms = Date.now() - t0;
    const [oldLayer, oldTopology] = [layer, topology];
    [layer, topology] = [undefined, fresh];
    await oldLayer?.stop();
    await oldTopology.stop();
    return `new topology of ${settings.replicas} pods, serving after ${ms} ms`;
  };

  let stopped = false;
  let failedFor: string | undefined;
  let readError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    let now: LiveRead;
    try {
      now = await readLiveSettings(conn, namespace);
      readError = undefined;
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0] ?? '';
      if (msg !== readError) say(`cannot read the live objects: ${msg}`);
      readError = msg;
      return;
    }
    const objects = changedObjects(last.versions, now.versions);
    if (!objects) return;
    const next = JSON.stringify(now.overrides);
    const changes = settingChanges(last.overrides, now.overrides);
    if (next === served) {
      say(`re-read ${objects}: ${changes} changed; traffic unchanged`);
      last = now;
      return;
    }
    if (next === failedFor) return;
    const t0 = Date.now();
    try {
      const how = await follow(now.overrides, t0);
      served = next;
      last = now;
      failedFor = undefined;
      onSwap();
      say(`re-read ${objects}: ${changes}; traffic follows (${how})`);
    } catch (e) {
      failedFor = next;
      say(`re-read ${objects}: ${changes}; could not follow, the old one keeps serving: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  const loop = async () => {
    if (stopped) return;
    running = tick();
    await running;
    if (!stopped) timer = setTimeout(loop, POLL_MS);
  };
  timer = setTimeout(loop, POLL_MS);

  return {
    url: `http://127.0.0.1:${door.port}`,
    served: () => served,
    pids: () => [...topology.pids(), ...(layer?.pids() ?? [])],
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running; // a change being followed finishes, so what it started is stopped below
      await door.close();
      await layer?.stop();
      await topology.stop();
    },
  };
}
