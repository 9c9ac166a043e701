/**
 * Builds the combined pod image (nginx + mock Theia) on the Docker engine DOCKER_HOST points at, from the rootfs
 * the project bootstraps (no registry FROM); prints the tag and the time of each step. kind-up calls the same code.
 *
 *   npx tsx scripts/build-pod-image.ts          (npm run kind:image)
 */
import { defaultDocker } from '../src/kind/docker-engine/cli';
import { ensurePodImage } from '../src/kind/pod-image/build';
import { PrerequisiteError, requireDaemon } from '../src/kind/prerequisites';

const say = (m: string) => console.log(`[pod-image] ${m}`);
try {
  const d = defaultDocker();
  await requireDaemon(d);
  const t0 = Date.now();
  const image = await ensurePodImage(d, say);
  const steps = Object.entries(image.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
  say(`${image.built ? 'built' : 'up to date'}: ${image.ref} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${steps})`);
} catch (err) {
  console.error(err instanceof PrerequisiteError ? err.message : `pod-image: ${(err as Error).message}`);
  process.exitCode = 1;
}
