/**
 * Worker-scoped Docker for the container specs: an engine (DOCKER_HOST's, else the project's private dockerd,
 * stopped at teardown even when a test failed) and, for the specs that run pods, the pod image built on it. The
 * figures (engine start, image steps) go to the output: they are what a user waits for on a cold machine.
 */
import { test as base } from '../../fixtures/base';
import { acquireEngine, type EngineHandle } from '../../src/kind/docker-engine/acquire';
import { ensurePodImage, type PodImage } from '../../src/kind/pod-image/build';

export const containerTest = base.extend<object, { engine: EngineHandle; podImage: PodImage }>({
  engine: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const engine = await acquireEngine();
      console.log(`[kind-containers] ${engine.kind} Docker engine ready in ${Math.round(engine.startMs)} ms`);
      try {
        await use(engine);
      } finally {
        await engine.release();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  podImage: [
    async ({ engine }, use) => {
      const t0 = Date.now();
      const image = await ensurePodImage(engine.docker);
      console.log(`[kind-containers] pod image ${image.built ? 'built' : 'up to date'}: ${image.ref} in ${Date.now() - t0} ms ${JSON.stringify(image.timings)}`);
      await use(image);
    },
    // Cold: debootstrap (~30-60 s with the download) + import + build; warm: a few seconds.
    { scope: 'worker', timeout: 600_000 },
  ],
});

export { expect } from '@playwright/test';
