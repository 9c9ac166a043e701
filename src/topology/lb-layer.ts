/**
 * A load balancer of its own in front of pods that are already running: what changes when a BackendConfig
 * changes on GKE (affinity, timeout, CDN are load-balancer settings; the pods are not restarted). The playground
 * starts one of these per change instead of a whole new topology: ~0.2 s instead of ~1-3 s, and the pods keep
 * their sessions, as real ones do. The same nginx config renderer and lifetime relay as the topology's own.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LifetimeRelay, startLifetimeRelay } from './lifetime-relay';
import { renderLbConfig } from './nginx-lb';
import { startNginx } from './nginx-process';
import { freePorts } from '../os/ports';
import type { LoadBalancerSettings, PodEndpoints } from './types';

const BIND_ATTEMPTS = 3;

export interface LbLayer {
  port: number;
  pids(): number[];
  stop(): Promise<void>;
}

export async function startLbLayer(lb: LoadBalancerSettings, pods: PodEndpoints[]): Promise<LbLayer> {
  const prefix = await mkdtemp(join(tmpdir(), 'socketproof-lb-'));
  await chmod(prefix, 0o755); // nginx workers drop to `nobody` when run as root
  const podPorts = pods.map((p) => Number(new URL(p.nginxUrl).port));
  const cap = lb.lifetimeCapMs;
  const relays: LifetimeRelay[] = cap === null ? [] : await Promise.all(podPorts.map((targetPort) => startLifetimeRelay({ targetPort, capMs: cap })));
  const backends = pods.map((p, i) => ({ pod: p.name, port: relays[i]?.port ?? podPorts[i] ?? 0 }));
  const cleanup = async () => {
    await Promise.all(relays.map((r) => r.close()));
    await rm(prefix, { recursive: true, force: true });
  };
  for (let attempt = 1; ; attempt++) {
    // nginx cannot report a port-0 listen: take a free port, retry when another process wins the race for it.
    const [port = 0] = await freePorts(1);
    const text = renderLbConfig(lb, backends, { listenPort: port, prefix: join(prefix, 'nginx-lb') });
    try {
      const { proc } = await startNginx(prefix, { name: 'nginx-lb.conf', text });
      let stopping: Promise<void> | undefined;
      return {
        port,
        pids: () => [proc.pid],
        stop: () => {
          stopping ??= proc.stop().then(cleanup);
          return stopping;
        },
      };
    } catch (err) {
      if (attempt >= BIND_ATTEMPTS || !String(err).includes('Address already in use')) {
        await cleanup();
        throw err;
      }
    }
  }
}
