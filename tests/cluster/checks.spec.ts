/**
 * Every cluster check is green on the target's desired manifests: applied to the worker's local API server, or,
 * without one, read from the files (drift then cannot run and is skipped with the reason).
 */
import { clusterTest as test, expectPass, labelTest } from '../../fixtures';
import { clusterChecks } from '../../src/cluster/registry';

test.describe('cluster checks on the desired manifests', () => {
  for (const check of clusterChecks) {
    test(`${check.id}: ${check.title}`, { tag: ['@cluster'] }, async ({ cluster, clusterCtx }, testInfo) => {
      test.skip(check.liveOnly && cluster.mode !== 'live', `${check.id} needs an API server: ${cluster.describe}`);
      await labelTest('cluster', check.id, cluster.expect.desired, check.severity);
      for (const [what, ms] of Object.entries(cluster.timings)) testInfo.annotations.push({ type: `worker set-up: ${what}`, description: `${ms} ms` });
      await expectPass(testInfo, await check.run(clusterCtx));
    });
  }
});
