/**
 * Builds the kind node image socketproof/kind-node:v1.34.12 on the project's Docker engine (src/kind/node-image/):
 * the engine DOCKER_HOST names, else the project's kind engine (docker-engine/kind-engine.ts; started here → stopped at
 * the end). Cached by
 * inputs; progress per step; the total and each step's time at the end.
 *   npm run kind:node-image
 */
import { kindEngine, stopKindEngineIfIdle } from '../src/kind/docker-engine/kind-engine';
import { ensureNodeImage } from '../src/kind/node-image/build';
import { PrerequisiteError } from '../src/kind/prerequisites';

const say = (m: string) => console.log(m);
try {
  // The kind engine: the image is built where `kind create cluster` will look for it.
  const engine = await kindEngine(say);
  try {
    const r = await ensureNodeImage(engine.docker, say);
    say(`${r.image}: ${r.built ? 'built' : 'up to date'} in ${(r.ms / 1000).toFixed(1)} s (inputs ${r.inputs})`);
    for (const s of r.steps) say(`  ${s.name.padEnd(60)} ${(s.ms / 1000).toFixed(1).padStart(7)} s${s.cached ? '  (cached)' : ''}`);
  } finally {
    if (engine.started) say(await stopKindEngineIfIdle());
  }
} catch (e) {
  if (e instanceof PrerequisiteError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
