/**
 * The `kind-cluster` setup project: the kind target's cluster, created or reused (src/kind/cluster/deploy.ts), before
 * the `kind` project's specs run. A missing prerequisite fails here with its one message (what to install, the
 * local target instead), so the kind specs do not run at all rather than fail one by one.
 */
import { test as setup } from '../../fixtures/base';
import { kindUp } from '../../src/kind/cluster/deploy';
import { PrerequisiteError } from '../../src/kind/prerequisites';

setup('kind cluster: create or reuse, load the pod image, apply the manifests, wait for the rollout', // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  async ({}, testInfo) => {
  try {
    const up = await kindUp({ createdBy: 'playwright', onProgress: (m) => console.log(`[kind] ${m}`) });
    const figures = Object.entries(up.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
    testInfo.annotations.push({ type: 'figures', description: `${up.cluster.created ? 'created' : 'reused'} ${up.cluster.name}: ${figures}` });
    console.log(`[kind] target kind answers at ${Object.entries(up.urls).map(([h, u]) => `${h} ${u}`).join(', ')}`);
  } catch (err) {
    if (!(err instanceof PrerequisiteError)) throw err;
    // The message is the whole story; a stack into src/kind would only bury it.
    const clean = new Error(err.message);
    clean.stack = err.message;
    throw clean;
  }
});
