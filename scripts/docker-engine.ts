/**
 * The project's private Docker engine (src/kind/docker-engine/dockerd.ts), for use by hand: on a machine with no Docker daemon
 * (these VMs), `start` runs Debian's dockerd on its own socket and prints the DOCKER_HOST to export; kind-up and
 * build-pod-image then use it. The container specs start and stop their own engine and never touch this one.
 *
 *   npx tsx scripts/docker-engine.ts start|stop|status      (npm run docker:start / docker:stop)
 */
import { enginePaths } from '../src/kind/docker-engine/dockerd-files';
import { EngineBusyError, engineAlive, readEngineState, startDockerEngine, stopEngine } from '../src/kind/docker-engine/dockerd';
import { PrerequisiteError } from '../src/kind/prerequisites';

const NAME = 'cli';
const paths = enginePaths(NAME);
const say = (m: string) => console.log(`[docker-engine] ${m}`);

try {
  switch (process.argv[2]) {
    case 'start': {
      const engine = await startDockerEngine({ name: NAME, persistent: true });
      say(`dockerd pid ${engine.pid} ready in ${(engine.startMs / 1000).toFixed(2)} s (data-root ${paths.dataRoot})`);
      console.log(`export DOCKER_HOST=${engine.docker.host}`);
      break;
    }
    case 'stop': {
      const errors = await stopEngine(paths);
      say(errors.length ? `stopped, with problems: ${errors.join('; ')}` : 'stopped');
      if (errors.length) process.exitCode = 1;
      break;
    }
    case 'status': {
      const s = readEngineState(paths);
      say(engineAlive(paths, s) ? `running: dockerd pid ${s.pid}, DOCKER_HOST=${s.host}` : 'not running');
      break;
    }
    default:
      console.error('usage: npx tsx scripts/docker-engine.ts start|stop|status');
      process.exitCode = 2;
  }
} catch (err) {
  if (err instanceof EngineBusyError) {
    say(`${err.message}; export DOCKER_HOST=${paths.host}`);
  } else {
    console.error(err instanceof PrerequisiteError ? err.message : `docker-engine: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
