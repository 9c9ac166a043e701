/**
 * Which Docker engine the container specs use: the one DOCKER_HOST names (the user's), else the project's private
 * engine, started here and stopped at release. A private engine already running for another run (a colleague's
 * suite on the same checkout) is left alone: this run then gets an engine of its own, whose data it deletes.
 */
import { rmSync } from 'node:fs';
import { type Docker, defaultDocker, dockerRaw } from './cli';
import { EngineBusyError, startDockerEngine } from './dockerd';
import { enginePaths } from './dockerd-files';
import { requireDaemon } from '../prerequisites';

export interface EngineHandle {
  docker: Docker;
  /** `external`: DOCKER_HOST's engine (never stopped here); `private`: started by this process. */
  kind: 'external' | 'private';
  dockerdPid?: number;
  startMs: number;
  release(): Promise<void>;
}

export async function acquireEngine(env = process.env): Promise<EngineHandle> {
  if (env.DOCKER_HOST) {
    const docker = defaultDocker(env);
    const t0 = Date.now();
    await requireDaemon(docker);
    return { docker, kind: 'external', startMs: Date.now() - t0, release: async () => undefined };
  }
  for (const name of ['suite', `suite-${process.pid}`]) {
    try {
      const engine = await startDockerEngine({ name });
      const ephemeral = name !== 'suite';
      // A run that died left its stopped pod containers and networks in the data-root: nobody else uses this engine.
      await dockerRaw(engine.docker, ['container', 'prune', '--force', '--filter', 'label=socketproof.run']);
      await dockerRaw(engine.docker, ['network', 'prune', '--force', '--filter', 'label=socketproof.run']);
      return {
        docker: engine.docker,
        kind: 'private',
        dockerdPid: engine.pid,
        startMs: engine.startMs,
        release: async () => {
          await engine.stop();
          if (ephemeral) rmSync(enginePaths(name).dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      if (!(err instanceof EngineBusyError)) throw err;
    }
  }
  throw new Error('unreachable: a per-process engine name cannot be busy');
}
