/**
 * The cluster checks against the target's own cluster (its kubeconfig/context), read-only: production's
 * BackendConfig, Service and Ingress checked every night with credentials from the CI's secret store. Only
 * targets whose `cluster` section names a real cluster get these tests (see hasLiveCluster).
 */
import { expectPass, labelTest } from '../../fixtures/report';
import { runtimeTest } from '../../fixtures/runtime';
import { clusterExpectation } from '../../src/cluster/expectation';
import { clusterCheck, clusterCheckIds } from '../../src/cluster/registry';
import { type ClusterConnection, connect } from '../../src/k8s/client';
import { liveSource } from '../../src/k8s/object-source';
import { pairTag } from '../../src/checks/registry';

const test = runtimeTest.extend<object, { targetCluster: ClusterConnection }>({
  targetCluster: [
    async ({ runtime }, use) => {
      const c = runtime.target.cluster;
      // KUBECONFIG (or the file the target names) and the context the target names: nothing else is guessed.
      await use(await connect({ kubeconfig: c?.kubeconfig, context: c?.context }));
    },
    { scope: 'worker' },
  ],
});

test.describe('cluster checks on the target cluster', () => {
  for (const id of clusterCheckIds) {
    test(`${clusterCheck(id).title}`, { tag: ['@cluster', '@smoke', pairTag(id, 'cluster')] }, async ({ runtime, targetCluster }, testInfo) => {
      const check = clusterCheck(id);
      await labelTest('cluster', id, 'cluster', check.severity);
      const verdict = await check.run({ source: liveSource(targetCluster), expect: clusterExpectation(runtime.target) });
      await expectPass(testInfo, verdict);
    });
  }
});
