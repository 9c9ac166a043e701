/**
 * A private Docker engine: Debian's dockerd with its own data-root, exec-root, pidfile, socket and config, on no
 * network of the host's (see dockerdArgs). Started by the container specs (and stopped at their teardown) or by
 * `npm run docker:start` for manual use. The data-root (image cache) survives; everything else goes at stop.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Docker } from './cli';
import { commandLineText as cmdline, endProcess, pidAlive, pidsMatching, signalPid as signal } from '../../os/process';
import { daemonConfig, dockerdArgs, type EnginePaths, enginePaths, mountsUnder, runcWrapperScript, unmountAll } from './dockerd-files';
import { requireEngineTools } from '../prerequisites';

export interface EngineState {
  pid: number;
  host: string;
  /** The Node process that owns a non-persistent engine (it stops it); null for `npm run docker:start`. */
  owner: { pid: number; cmd: string } | null;
  startedAt: string;
}

export interface DockerEngine {
  docker: Docker;
  pid: number;
  paths: EnginePaths;
  startMs: number;
  stop(): Promise<void>;
}

export class EngineBusyError extends Error {}

export function readEngineState(p: EnginePaths): EngineState | null {
  try {
    return JSON.parse(readFileSync(p.state, 'utf8')) as EngineState;
  } catch {
    return null;
  }
}

/** The recorded dockerd still runs (and the PID was not reused by something else). */
export function engineAlive(p: EnginePaths, s: EngineState | null = readEngineState(p)): s is EngineState {
  return s !== null && pidAlive(s.pid) && cmdline(s.pid).includes(`--data-root=${p.dataRoot}`);
}

export async function startDockerEngine(opts: { name: string; persistent?: boolean; deadlineMs?: number }): Promise<DockerEngine> {
  const t0 = performance.now();
  const { dockerd, runc } = requireEngineTools();
  const p = enginePaths(opts.name);
  const prior = readEngineState(p);
  if (engineAlive(p, prior)) {
    const owner = prior.owner;
    if (owner === null || (pidAlive(owner.pid) && cmdline(owner.pid) === owner.cmd)) {
      throw new EngineBusyError(`docker engine "${p.name}" is already running (dockerd pid ${prior.pid}, ${prior.host})`);
    }
    await stopEngine(p); // its owner died without stopping it
  } else {
    cleanupLeftovers(p);
  }
  mkdirSync(p.dataRoot, { recursive: true });
  mkdirSync(p.execRoot, { recursive: true, mode: 0o700 });
  writeFileSync(p.runcWrapper, runcWrapperScript(runc), { mode: 0o755 });
  writeFileSync(p.config, daemonConfig(p));
  const log = openSync(p.log, 'w');
  // detached: dockerd must outlive a crashed test worker long enough to shut its containers down by itself.
  const child = spawn(dockerd, dockerdArgs(p), { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid ?? 0;
  const state: EngineState = {
    pid,
    host: p.host,
    owner: opts.persistent ? null : { pid: process.pid, cmd: cmdline(process.pid) },
    startedAt: new Date().toISOString(),
  };
  writeFileSync(p.state, `${JSON.stringify(state, null, 2)}\n`);
  // A worker that exits without its teardown: SIGTERM lets dockerd stop its containers by itself.
  const onExit = () => {
    if (cmdline(pid).includes(`--data-root=${p.dataRoot}`)) signal(pid, 'SIGTERM');
  };
  if (!opts.persistent) process.once('exit', onExit);
  const stop = once(async () => {
    process.off('exit', onExit);
    await stopEngine(p);
  });
  try {
    await waitForPing(p.socket, pid, opts.deadlineMs ?? 30_000);
  } catch (err) {
    await stop();
    throw new Error(`private dockerd did not start: ${(err as Error).message}; last log lines: ${logTail(p)}`);
  }
  return { docker: { bin: process.env.SOCKETPROOF_DOCKER ?? 'docker', host: p.host }, pid, paths: p, startMs: performance.now() - t0, stop };
}

/**
 * SIGTERM to dockerd (it stops containers and its containerd), SIGKILL after 30 s; then what a killed engine
 * leaves: containerd shims of this exec-root (matched by command line, killed by PID), mounts, the exec-root.
 */
export async function stopEngine(p: EnginePaths): Promise<string[]> {
  const s = readEngineState(p);
  if (engineAlive(p, s)) {
    // dockerd alone (not its group): it stops its containers and its containerd itself on SIGTERM.
    await endProcess(s.pid, { graceMs: 30_000, killWaitMs: 10_000, scope: 'pid' });
  }
  const errors = cleanupLeftovers(p);
  rmSync(p.state, { force: true });
  return errors;
}

function cleanupLeftovers(p: EnginePaths): string[] {
  for (const pid of pidsMatching(`${p.execRoot}/containerd/containerd.sock`)) signal(pid, 'SIGKILL');
  const errors = unmountAll(mountsUnder([p.execRoot, p.dataRoot]));
  if (errors.length === 0 && existsSync(p.execRoot)) rmSync(p.execRoot, { recursive: true, force: true });
  return errors;
}

function waitForPing(socketPath: string, pid: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (!pidAlive(pid)) return reject(new Error(`dockerd (pid ${pid}) exited`));
      if (Date.now() > until) return reject(new Error(`no answer on ${socketPath} within ${deadlineMs} ms`));
      const req = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else setTimeout(attempt, 50);
      });
      req.on('error', () => setTimeout(attempt, 50));
      req.on('timeout', () => req.destroy());
    };
    attempt();
  });
}

function logTail(p: EnginePaths): string {
  try {
    return readFileSync(p.log, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}



function once(fn: () => Promise<unknown>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => {
    p ??= fn().then(() => undefined);
    return p;
  };
}
