/**
 * The engine the kind cluster lives on. A kind cluster outlives the process that creates it (the `kind-cluster`
 * setup runs in one Playwright worker, the specs and the teardown in others, `npm run kind:up` exits), so the
 * project's private engine for kind is a persistent one, `kind` (.cache/docker/kind/: its data-root keeps the node
 * and pod images between runs), started on first use and stopped by whoever deletes the last cluster on it.
 * DOCKER_HOST, when set, names the user's engine instead: it is never started or stopped here.
 */
import { type Docker, defaultDocker, dockerRaw } from './cli';
import { EngineBusyError, engineAlive, readEngineState, startDockerEngine, stopEngine } from './dockerd';
import { enginePaths } from './dockerd-files';
import { requireDaemon } from '../prerequisites';

export const KIND_ENGINE = 'kind';

export interface KindEngine {
  docker: Docker;
  kind: 'external' | 'private';
  /** True when this call started the private engine. */
  started: boolean;
}

export async function kindEngine(say: (m: string) => void = () => undefined, env = process.env): Promise<KindEngine> {
  if (env.DOCKER_HOST) {
    const docker = defaultDocker(env);
    await requireDaemon(docker);
    return { docker, kind: 'external', started: false };
  }
  const p = enginePaths(KIND_ENGINE);
  const docker = { bin: env.SOCKETPROOF_DOCKER ?? 'docker', host: p.host };
  if (engineAlive(p)) return { docker, kind: 'private', started: false };
  try {
    const e = await startDockerEngine({ name: KIND_ENGINE, persistent: true });
    try {
      await requireDaemon(e.docker); // the docker CLI (SOCKETPROOF_DOCKER) must reach it too
    } catch (err) {
      await e.stop();
      throw err;
    }
    say(`started the project's Docker engine for kind (dockerd pid ${e.pid}, ${e.docker.host}; npm run kind:down stops it)`);
    return { docker: e.docker, kind: 'private', started: true };
  } catch (err) {
    // Another process started it between the check and the start: use it.
    if (err instanceof EngineBusyError) return { docker, kind: 'private', started: false };
    throw err;
  }
}

/** The private kind engine's Docker, when it runs (DOCKER_HOST's otherwise); null when there is none to talk to. */
export function runningKindDocker(env = process.env): Docker | null {
  if (env.DOCKER_HOST) return defaultDocker(env);
  const p = enginePaths(KIND_ENGINE);
  return engineAlive(p) ? { bin: env.SOCKETPROOF_DOCKER ?? 'docker', host: p.host } : null;
}

/**
 * Stops the private kind engine when no container runs on it any more (a cluster someone kept, or a user's
 * container, keeps it up). Returns what it did, for the caller's one line.
 */
export async function stopKindEngineIfIdle(env = process.env): Promise<string> {
  if (env.DOCKER_HOST) return 'DOCKER_HOST engine left running (not ours)';
  const p = enginePaths(KIND_ENGINE);
  const s = readEngineState(p);
  if (!engineAlive(p, s)) return 'no private kind engine running';
  const d = { bin: env.SOCKETPROOF_DOCKER ?? 'docker', host: p.host };
  const ps = await dockerRaw(d, ['ps', '--all', '--quiet']);
  const left = ps.stdout.split('\n').filter(Boolean);
  if (left.length) return `private kind engine kept: ${left.length} container(s) on it`;
  // kind creates the `kind` network and never removes it; on our own engine nothing else uses it.
  await dockerRaw(d, ['network', 'rm', 'kind']);
  const errors = await stopEngine(p);
  return errors.length ? `private kind engine stopped, with problems: ${errors.join('; ')}` : `private kind engine stopped (dockerd pid ${s.pid})`;
}
