/**
 * Starts the embedded topology on loopback: N pods (the app + in-pod nginx) behind a load-balancer nginx, with a
 * lifetime relay per pod when the GKE connection-lifetime cap is emulated. Everything is a real process or socket,
 * ended by PID; a half-started topology is torn down before the error is thrown.
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../paths';
import { type LifetimeRelay, startLifetimeRelay } from './lifetime-relay';
import { startRealTheia } from './real-theia';
import { renderLbConfig, renderPodConfig, rewriteUserPodConfig } from './nginx-config';
import { forwardedPaths } from './forwarded-paths';
import { startNginx } from './nginx-process';
import { freePorts } from '../os/ports';
import { accepts, type ManagedProcess, spawnManaged } from '../os/managed-process';
import type { PodEndpoints, RenderedConfig, RunningTopology, TopologySettings } from './types';

const BIND_ATTEMPTS = 3;

export async function startTopology(asked: TopologySettings, opts: { root?: string } = {}): Promise<RunningTopology> {
  const root = opts.root ?? projectRoot;
  const prefix = await mkdtemp(join(tmpdir(), 'socketproof-'));
  await chmod(prefix, 0o755); // nginx workers drop to `nobody` when the suite runs as root
  const procs: ManagedProcess[] = [];
  const relays: LifetimeRelay[] = [];
  const configs: RenderedConfig[] = [];
  let settings = asked;
  const notes: string[] = [];
  const podNames = Array.from({ length: settings.replicas }, (_, i) => `pod-${i}`);

  const collectLogs = async (): Promise<RenderedConfig[]> => {
    const files = ['lb', ...podNames].flatMap((n) => ['error', 'access'].map((k) => `nginx-${n}/${k}.log`));
    const read = await Promise.all(files.map((f) => readFile(join(prefix, f), 'utf8').catch(() => null)));
    return [
      ...files.flatMap((f, i) => (read[i] === null ? [] : [{ name: f.replace('/', '.'), text: read[i] ?? '' }])),
      ...procs.filter((p) => p.name.startsWith('theia')).map((p) => ({ name: `${p.name}.out`, text: p.output() })),
      ...relays.map((r, i) => ({ name: `relay-${podNames[i]}.txt`, text: `connections cut at the cap: ${r.cuts()}` })),
    ];
  };
  let stopping: Promise<void> | undefined;
  let finalLogs: RenderedConfig[] | undefined;
  const stopAll = async () => {
    await Promise.all([...procs.map((p) => p.stop()), ...relays.map((r) => r.close())]);
    finalLogs = await collectLogs(); // the files go with the prefix; keep them for a report written after stop
    await rm(prefix, { recursive: true, force: true });
  };
  const stop = () => {
    stopping ??= stopAll();
    return stopping;
  };

  try {
    const userConfig = settings.pod.nginxConfigFile ? await readFile(settings.pod.nginxConfigFile, 'utf8') : null;
    if (userConfig) settings = await servedWhereConfigSends(settings, userConfig, prefix, notes);
    const theias = await startAll(podNames.map((pod) => startTheia(root, pod, settings, prefix)), procs);
    const theiaPorts = theias.map((t) => t.port);
    let ports: number[] = [];
    for (let attempt = 1; ; attempt++) {
      // nginx cannot listen on port 0 and report it: take free ports, retry when another process wins the race.
      ports = await freePorts(settings.replicas + 1);
      const [lbPort = 0, ...podPorts] = ports;
      configs.length = 0;
      podNames.forEach((pod, i) => {
        const place = { listenPort: podPorts[i] ?? 0, theiaPort: theiaPorts[i] ?? 0, prefix: join(prefix, `nginx-${pod}`) };
        const text = userConfig
          ? rewriteUserPodConfig(userConfig, place)
          : renderPodConfig(settings.pod, appBasePath(settings), {
              listen: `127.0.0.1:${place.listenPort}`,
              theiaPort: place.theiaPort,
              runtime: { kind: 'local', prefix: place.prefix },
              // The real Theia serves at `/`: the pod's nginx maps the app's prefix onto it, as in production.
              stripPrefix: settings.app === 'theia',
            });
        configs.push({ name: `nginx-${pod}.conf`, text });
      });
      const cap = settings.lb.lifetimeCapMs;
      const relayed = cap === null ? [] : await Promise.all(podPorts.map((targetPort) => startLifetimeRelay({ targetPort, capMs: cap })));
      relays.push(...relayed);
      const backends = podNames.map((pod, i) => ({ pod, port: relayed[i]?.port ?? podPorts[i] ?? 0 }));
      const lbText = renderLbConfig(settings.lb, backends, { listenPort: lbPort, prefix: join(prefix, 'nginx-lb') });
      configs.unshift({ name: 'nginx-lb.conf', text: lbText });
      const started: ManagedProcess[] = [];
      try {
        await startAll(configs.map((c) => startNginx(prefix, c)), started);
        procs.push(...started.splice(0));
        break;
      } catch (err) {
        await Promise.all([...started.map((p) => p.stop()), ...relays.splice(0).map((r) => r.close())]);
        if (attempt >= BIND_ATTEMPTS || !String(err).includes('Address already in use')) throw err;
      }
    }
    const [lbPort, ...podPorts] = ports;
    await Promise.all([...theiaPorts, ...ports].map(waitAccepting));
    const pods: PodEndpoints[] = podNames.map((name, i) => ({
      name,
      theiaUrl: `http://127.0.0.1:${theiaPorts[i]}`,
      nginxUrl: `http://127.0.0.1:${podPorts[i]}`,
    }));
    const lbUrl = settings.lb.tls ? `https://${settings.lb.tls.serverName}:${lbPort}` : `http://127.0.0.1:${lbPort}`;
    return {
      settings,
      notes,
      pods,
      lbUrl,
      hopUrls: { pod: pods[0]?.theiaUrl ?? '', 'pod-nginx': pods[0]?.nginxUrl ?? '', lb: lbUrl },
      // The app reached directly answers where it listens: where the user's pod config sends the paths, or where
      // the target says it listens; otherwise at the clients' own paths (so an app mounted elsewhere is a wrong path).
      hopPaths:
        settings.theia === asked.theia && asked.theia.pathsFromConfig !== false
          ? {}
          : { pod: { appPath: settings.theia.basePath, socketPath: settings.theia.socketPath } },
      configs: [...configs],
      pids: () => procs.map((p) => p.pid),
      logs: async () => finalLogs ?? collectLogs(),
      stop,
    };
  } catch (err) {
    await stop();
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' | ');
    throw new Error(`local topology did not start: ${message}`);
  }
}

/**
 * With a user's own pod config, the app is served where that config sends the app's paths (asked of nginx, see
 * forwarded-paths.ts), unless the target says where the app listens (`embedded.appServedAt`): then a config that
 * sends the paths elsewhere shows as the wrong path it is.
 */
async function servedWhereConfigSends(settings: TopologySettings, config: string, prefix: string, notes: string[]) {
  const { basePath, socketPath, pathsFromConfig } = settings.theia;
  if (settings.app !== 'mock-theia') return settings;
  if (pathsFromConfig === false) {
    notes.push(`the app listens at ${basePath} (Socket.IO at ${socketPath}): where the target says it does`);
    return settings;
  }
  const [page, socket] = await forwardedPaths(config, [basePath, socketPath], prefix);
  if (!page?.forwarded || !socket?.forwarded) {
    notes.push(`the app listens at ${basePath}: the pod config does not forward ${page?.forwarded ? socketPath : basePath} to it`);
    return settings;
  }
  const slash = (p: string) => (p.endsWith('/') ? p : `${p}/`);
  const theia = { ...settings.theia, basePath: slash(page.forwarded), socketPath: slash(socket.forwarded) };
  notes.push(
    `the app listens at ${theia.basePath} (Socket.IO at ${theia.socketPath}): the pod config sends ${basePath} there${
      theia.basePath === basePath ? ' (prefix kept)' : ' (prefix replaced by proxy_pass)'
    }`,
  );
  return { ...settings, theia };
}

/** Where the pod's app serves its page: the plain app always at `/`. */
export function appBasePath(settings: TopologySettings): string {
  return settings.app === 'plain-socketio' ? '/' : settings.theia.basePath;
}

/** Starts all, keeps every process that did start in `into` (for teardown), rejects with the first failure. */
async function startAll<T extends { proc: ManagedProcess }>(starts: Promise<T>[], into: ManagedProcess[]): Promise<T[]> {
  const results = await Promise.allSettled(starts);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  into.push(...started.map((s) => s.proc));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return started;
}

/** The app process of one pod (named `theia-*` either way: logs and reports look for that prefix). */
async function startTheia(root: string, podName: string, settings: TopologySettings, prefix: string) {
  if (settings.app === 'theia') return startRealTheia({ podName, prefix, settings });
  const plain = settings.app === 'plain-socketio';
  const config = JSON.stringify(plain ? { podName, port: 0 } : { podName, port: 0, ...settings.theia });
  const main = plain ? 'src/topology/plain-socketio/main.ts' : 'src/topology/mock-theia/main.ts';
  const proc = await spawnManaged({
    name: `theia-${podName}`,
    // `node --import tsx` instead of `npx tsx`: no npx and no extra tsx CLI process (~0.5 s less per pod).
    command: process.execPath,
    args: ['--import', 'tsx', join(root, main), '--config', config],
    cwd: root,
    ready: { line: /"event":"listening".*"port":(\d+)/ },
    deadlineMs: 20_000,
  });
  return { proc, port: Number(proc.readyMatch?.[1]) };
}

async function waitAccepting(port: number): Promise<void> {
  for (let i = 0; !(await accepts(port)); i++) {
    if (i >= 200) throw new Error(`127.0.0.1:${port} does not accept connections`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
