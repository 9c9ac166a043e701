/**
 * N combined-pod containers on one Docker engine: each the pod image (its own nginx in front of its own mock
 * Theia), on a per-run user network, its nginx published on a loopback port only. Pod-level settings become what a
 * pod really gets: the nginx config mounted over the baked one (rendered as for production), the Theia options in
 * its environment. Removed by container id, network by id.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../paths';
import { renderPodConfig } from '../../topology/nginx-pod';
import type { RenderedConfig, TopologySettings } from '../../topology/types';
import { type Docker, docker, dockerRaw, publishedPort, removeAll, tail } from '../docker-engine/cli';

export const POD_NGINX_PORT = 8080;
export const POD_THEIA_PORT = 3000;
const NGINX_CONF_IN_IMAGE = '/etc/socketproof/nginx.conf';

export interface PodContainer {
  name: string;
  id: string;
  /** The pod's nginx on 127.0.0.1:<published port>. */
  url: string;
  port: number;
}

export interface PodContainers {
  runId: string;
  pods: PodContainer[];
  /** The pod nginx config the containers run (the baked kind/pod/nginx.conf, or the mounted variant). */
  podConfig: RenderedConfig;
  logs(): Promise<RenderedConfig[]>;
  /** Removes the containers and the network; resolves with every problem met (empty when clean). */
  remove(): Promise<string[]>;
}

/** The pod config for these settings, as production renders it (listen 8080, Theia on 127.0.0.1:3000). */
export function podConfigFor(settings: TopologySettings): string {
  return renderPodConfig(settings.pod, settings.theia.basePath, {
    listen: String(POD_NGINX_PORT),
    theiaPort: POD_THEIA_PORT,
    runtime: { kind: 'production' },
  });
}

export async function startPodContainers(d: Docker, image: string, settings: TopologySettings, workDir: string): Promise<PodContainers> {
  const runId = `sp-${process.pid}-${randomBytes(3).toString('hex')}`;
  const ids = { containers: [] as string[], networks: [] as string[] };
  const remove = () => removeAll(d, ids);
  try {
    ids.networks.push(await docker(d, ['network', 'create', '--label', `socketproof.run=${runId}`, `socketproof-${runId}`]));
    const conf = podConfigFor(settings);
    const baked = readFileSync(path.join(projectRoot, 'kind/pod/nginx.conf'), 'utf8');
    const mount: string[] = [];
    if (conf !== baked) {
      const file = path.join(workDir, 'pod-nginx.conf');
      writeFileSync(file, conf, { mode: 0o644 }); // read by nginx as www-data in the container
      mount.push('--volume', `${file}:${NGINX_CONF_IN_IMAGE}:ro`);
    }
    const names = Array.from({ length: settings.replicas }, (_, i) => `pod-${i}`);
    const pods = await Promise.all(
      names.map(async (name) => {
        const theia = JSON.stringify({ podName: name, port: POD_THEIA_PORT, ...settings.theia });
        const args = ['run', '--detach', '--name', `${runId}-${name}`, '--hostname', name, '--network', `socketproof-${runId}`];
        args.push('--label', `socketproof.run=${runId}`, '--publish', `127.0.0.1::${POD_NGINX_PORT}`);
        args.push('--env', `SOCKETPROOF_THEIA_CONFIG=${theia}`, ...mount, image);
        const id = await docker(d, args);
        ids.containers.push(id);
        const port = await publishedPort(d, id, POD_NGINX_PORT);
        return { name, id, port, url: `http://127.0.0.1:${port}` };
      }),
    );
    await Promise.all(pods.map((p) => waitReady(d, p, settings.theia.basePath)));
    const logs = async () =>
      Promise.all(pods.map(async (p) => ({ name: `container-${p.name}.log`, text: await containerLog(d, p.id) })));
    return { runId, pods, podConfig: { name: conf === baked ? 'pod-nginx.conf (kind/pod/nginx.conf)' : 'pod-nginx.conf', text: conf }, logs, remove };
  } catch (err) {
    const problems = await remove();
    throw new Error(`pod containers did not start: ${(err as Error).message}${problems.length ? `; cleanup: ${problems.join('; ')}` : ''}`);
  }
}

/**
 * Ready = the app page answers 200 through the pod's nginx: nginx is up and Theia behind it too (a 502 until then).
 * A container that exits fails at once, with its log.
 */
async function waitReady(d: Docker, pod: PodContainer, appPath: string, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (let i = 0; ; i++) {
    const status = await fetch(`${pod.url}${appPath}`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (i % 10 === 9 || Date.now() > until) {
      const running = await dockerRaw(d, ['inspect', '--format', '{{.State.Running}}', pod.id]);
      if (running.stdout.trim() !== 'true' || Date.now() > until) {
        const why = running.stdout.trim() === 'true' ? `not ready within ${deadlineMs} ms (last status ${status})` : 'exited';
        throw new Error(`${pod.name} (${pod.id.slice(0, 12)}) ${why}: ${tail(await containerLog(d, pod.id), 4)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function containerLog(d: Docker, id: string): Promise<string> {
  const out = await dockerRaw(d, ['logs', '--timestamps', id]);
  return `${out.stdout}${out.stderr}`;
}
