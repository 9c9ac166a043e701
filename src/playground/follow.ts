/**
 * The embedded topology following the live objects: the objects are read every POLL_MS; when what the load
 * balancer reads changes (replicas, BackendConfig affinity, timeout, CDN), a new topology is started with the new
 * settings, the front door sends new connections to it, and the old one is stopped. Polling rather than a watch:
 * three GETs on loopback every quarter second cost nothing, and a poll cannot silently stop like a dropped watch.
 * A change reaches the traffic in POLL_MS + one topology start (~1 s): like GKE's controller syncing, only faster.
 */
import type { ClusterConnection } from '../k8s/client';
import { type LiveRead, type Overrides, readLiveSettings, topologyFromOverrides } from '../k8s/live-topology';
import { type FrontDoor, startFrontDoor } from '../topology/front-door';
import type { RunningTopology } from '../topology/types';

const POLL_MS = 250;

export interface Follower {
  url: string;
  served(): string;
  topology(): RunningTopology;
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

export async function followLiveObjects(
  conn: ClusterConnection,
  namespace: string,
  say: (line: string) => void,
  onSwap: () => void,
): Promise<Follower> {
  let last = await readLiveSettings(conn, namespace);
  let current = await topologyFromOverrides(last.overrides);
  let served = JSON.stringify(last.overrides);
  const lbPort = (t: RunningTopology) => Number(new URL(t.lbUrl).port);
  let door: FrontDoor;
  try {
    door = await startFrontDoor(lbPort(current));
  } catch (e) {
    await current.stop();
    throw e;
  }
  say(`traffic follows the live objects: ${describeSettings(last.overrides)}`);

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
      const fresh = await topologyFromOverrides(now.overrides);
      door.retarget(lbPort(fresh));
      const old = current;
      current = fresh;
      served = next;
      last = now;
      failedFor = undefined;
      onSwap();
      say(`re-read ${objects}: ${changes}; traffic follows (new load balancer in ${Date.now() - t0} ms)`);
      await old.stop();
    } catch (e) {
      failedFor = next;
      say(`re-read ${objects}: ${changes}; the new topology did not start, the old one keeps serving: ${(e as Error).message.split('\n')[0]}`);
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
    topology: () => current,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running; // a swap in progress finishes, so its new topology is the one stopped below
      await door.close();
      await current.stop();
    },
  };
}
