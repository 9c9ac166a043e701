/**
 * Worker-scoped Docker for the container specs: an engine (DOCKER_HOST's, else the project's private dockerd,
 * stopped at teardown even when a test failed) and the pod image built on it. Figures (engine start, image
 * steps) are kept for the report: they are what a user waits for on a cold machine.
 */
import { test as base } from '@playwright/test';
import { type EngineHandle, acquireEngine } from '../../src/kind/acquire-engine';
import { ensurePodImage, type PodImage } from '../../src/kind/pod-image';

export interface ContainerWorker {
  engine: EngineHandle;
  image: PodImage;
  /** ms: engine start, image (total) and each image step. */
  figures: Record<string, number>;
}

export const containerTest = base.extend<object, { docker: ContainerWorker }>({
  docker: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const engine = await acquireEngine();
      try {
        const t0 = Date.now();
        const image = await ensurePodImage(engine.docker);
        const figures = { engineStart: engine.startMs, image: Date.now() - t0, ...image.timings };
        console.log(`[kind-containers] ${engine.kind} engine ${Math.round(engine.startMs)} ms; pod image ${image.built ? 'built' : 'up to date'} ${image.ref} in ${figures.image} ms ${JSON.stringify(image.timings)}`);
        await use({ engine, image, figures });
      } finally {
        await engine.release();
      }
    },
    // Cold: debootstrap (~30-60 s with the download) + import + build; warm: a few seconds.
    { scope: 'worker', timeout: 600_000 },
  ],
});

export { expect } from '@playwright/test';
