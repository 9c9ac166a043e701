/**
 * The container-level topology: the combined-pod containers (pod-containers.ts) behind the project's own LB hop,
 * an nginx on the host rendered by renderLbConfig with the containers' published ports as backends (plus the
 * lifetime relay when a cap is set). It stands where kind has host port → NodePort → kube-proxy: the same pods,
 * a balancing hop with client-IP affinity on or off. Hops: `pod-nginx` (pod-0's nginx), `lb`.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type LifetimeRelay, startLifetimeRelay } from '../../topology/lifetime-relay';
import { NGINX_BINARY, nginxArgs } from '../../topology/nginx-config';
import { renderLbConfig } from '../../topology/nginx-lb';
import { freePort } from '../../os/ports';
import { lastLines, type ManagedProcess, spawnManaged } from '../../os/managed-process';
import type { RenderedConfig, TopologySettings } from '../../topology/types';
import type { Docker } from '../docker-engine/cli';
import { type PodContainers, startPodContainers } from './pod-containers';

export interface ContainerTopology {
  settings: TopologySettings;
  containers: PodContainers;
  hopUrls: { 'pod-nginx': string; lb: string };
  configs: RenderedConfig[];
  /** Milliseconds: containers until ready, LB until listening. */
  timings: { containersMs: number; lbMs: number };
  logs(): Promise<RenderedConfig[]>;
  /** LB, relays, containers, network, temp dir; throws after doing all of it if anything resisted. */
  stop(): Promise<void>;
}

export async function startContainerTopology(d: Docker, image: string, settings: TopologySettings): Promise<ContainerTopology> {
  const dir = await mkdtemp(path.join(tmpdir(), 'socketproof-containers-'));
  await chmod(dir, 0o755); // the pod config is mounted from here into containers that run as www-data
  let containers: PodContainers | undefined;
  let lb: ManagedProcess | undefined;
  const relays: LifetimeRelay[] = [];
  const stop = async () => {
    await Promise.all([lb?.stop(), ...relays.map((r) => r.close())]);
    const problems = (await containers?.remove()) ?? [];
    await rm(dir, { recursive: true, force: true });
    if (problems.length) throw new Error(`container topology teardown: ${problems.join('; ')}`);
  };
  try {
    let t0 = Date.now();
    containers = await startPodContainers(d, image, settings, dir);
    const containersMs = Date.now() - t0;
    t0 = Date.now();
    const cap = settings.lb.lifetimeCapMs;
    if (cap !== null) relays.push(...(await Promise.all(containers.pods.map((p) => startLifetimeRelay({ targetPort: p.port, capMs: cap })))));
    const backends = containers.pods.map((p, i) => ({ pod: p.name, port: relays[i]?.port ?? p.port }));
    const started = await startLb(dir, (listenPort) => renderLbConfig(settings.lb, backends, { listenPort, prefix: path.join(dir, 'nginx-lb') }));
    lb = started.proc;
    const lbMs = Date.now() - t0;
    const pods = containers;
    return {
      settings,
      containers,
      hopUrls: { 'pod-nginx': pods.pods[0]?.url ?? '', lb: `http://127.0.0.1:${started.port}` },
      configs: [{ name: 'nginx-lb.conf', text: started.text }, pods.podConfig],
      timings: { containersMs, lbMs },
      logs: async () => [
        ...(await pods.logs()),
        ...(await Promise.all(
          ['error', 'access'].map(async (k) => ({ name: `nginx-lb.${k}.log`, text: await readFile(path.join(dir, 'nginx-lb', `${k}.log`), 'utf8').catch(() => '') })),
        )),
      ],
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** nginx cannot listen on port 0 and report it: take a free port, retry when another process wins the race. */
async function startLb(dir: string, render: (port: number) => string): Promise<{ proc: ManagedProcess; port: number; text: string }> {
  const prefix = path.join(dir, 'nginx-lb');
  const conf = path.join(dir, 'nginx-lb.conf');
  await mkdir(prefix, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const text = render(port);
    await writeFile(conf, text);
    await promisify(execFile)(NGINX_BINARY, nginxArgs(prefix, conf, true)).catch((err: { stderr?: string }) => {
      throw new Error(`nginx -t rejected the LB config: ${lastLines(err.stderr ?? String(err), 3)}`);
    });
    try {
      const proc = await spawnManaged({ name: 'nginx-lb', command: NGINX_BINARY, args: nginxArgs(prefix, conf), ready: { line: /start worker process/ }, deadlineMs: 10_000 });
      return { proc, port, text };
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}
