/**
 * Starts the embedded topology on loopback: N pods (the app + in-pod nginx) behind a load-balancer nginx, with a
 * lifetime relay per pod when the GKE connection-lifetime cap is emulated. Everything is a real process or socket,
 * ended by PID; a half-started topology is torn down before the error is thrown.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../paths';
import { type LifetimeRelay, startLifetimeRelay } from './lifetime-relay';
import { startRealTheia } from './real-theia';
import { renderLbConfig, renderPodConfig, rewriteUserPodConfig } from './nginx-config';
import { lbWiring, rewriteUserLbConfig } from './nginx-lb-user';
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
  // One pod per replica; with the user's own LB config, one per server its upstreams list (known once it is read).
  let podNames = Array.from({ length: settings.replicas }, (_, i) => `pod-${i}`);
  let renderLb: (down: string[]) => string = () => '';
  const drained: string[] = [];

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
    const lbFile = settings.lb.nginxConfigFile;
    const lbConfig = lbFile ? await readFile(lbFile, 'utf8') : null;
    const lbNotes: string[] = [];
    if (lbConfig) {
      const wiring = lbWiring(lbConfig);
      settings = { ...settings, replicas: wiring.pods.length };
      podNames = wiring.pods.map((_, i) => `pod-${i}`);
      lbNotes.push(...wiring.notes);
    }
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
              runtime: { kind: 'local', prefix: place.prefix, capacity: settings.capacity },
              // The real Theia serves at `/`: the pod's nginx maps the app's prefix onto it, as in production.
              stripPrefix: settings.app === 'theia',
            });
        configs.push({ name: `nginx-${pod}.conf`, text });
      });
      const cap = settings.lb.lifetimeCapMs;
      const relayed = cap === null ? [] : await Promise.all(podPorts.map((targetPort) => startLifetimeRelay({ targetPort, capMs: cap })));
      relays.push(...relayed);
      const backends = podNames.map((pod, i) => ({ pod, port: relayed[i]?.port ?? podPorts[i] ?? 0 }));
      const lbPlace = { listenPort: lbPort, prefix: join(prefix, 'nginx-lb') };
      renderLb = (down) =>
        lbConfig
          ? // The user's own LB config: its servers are the pods as written (draining one is not emulated in it).
            rewriteUserLbConfig(lbConfig, { ...lbPlace, backendPorts: backends.map((b) => b.port) })
          : renderLbConfig(
              settings.lb,
              backends.map((b) => ({ ...b, down: down.includes(b.pod) })),
              { ...lbPlace, capacity: settings.capacity },
            );
      const lbText = renderLb([]);
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
    // The user's LB config runs without its TLS (its certificate is production's): plain HTTP on loopback.
    const lbUrl = settings.lb.tls && !lbConfig ? `https://${settings.lb.tls.serverName}:${lbPort}` : `http://127.0.0.1:${lbPort}`;
    if (lbFile) notes.push(`the load balancer is your config ${lbFile}, listening on 127.0.0.1:${lbPort}`, ...lbNotes);
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
      stopPod: async (pod: string) => {
        const mine = procs.filter((p) => p.name === `theia-${pod}` || p.name === `nginx-${pod}`);
        if (mine.length === 0) throw new Error(`no pod ${pod} in this topology (pods: ${podNames.join(', ')})`);
        await Promise.all(mine.map((p) => p.stop()));
      },
      drainPod: async (pod: string) => {
        if (!podNames.includes(pod)) throw new Error(`no pod ${pod} in this topology (pods: ${podNames.join(', ')})`);
        drained.push(pod);
        await writeFile(join(prefix, 'nginx-lb.conf'), renderLb(drained));
        await reloadLb();
      },
      reloadLb: () => reloadLb(),
    };
    /** SIGHUP to the LB's master (`nginx -s reload`). */
    async function reloadLb(): Promise<void> {
      const lb = procs.find((p) => p.name === 'nginx-lb');
      if (!lb) throw new Error('no load balancer in this topology');
      // Done when a new worker runs AND the old one said it is shutting down: until then the old worker may still
      // accept new connections with the old configuration (a drained pod would still get some).
      const count = (what: string) => lb.output().split(what).length;
      const started = count('start worker process');
      const leaving = count('gracefully shutting down');
      process.kill(lb.pid, 'SIGHUP');
      for (let i = 0; count('start worker process') <= started || count('gracefully shutting down') <= leaving; i++) {
        if (i >= 500) throw new Error('nginx-lb: the reload did not replace its worker within 5 s');
        await new Promise((r) => setTimeout(r, 10));
      }
    }
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
