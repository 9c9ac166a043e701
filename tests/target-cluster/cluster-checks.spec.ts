/**
 * The cluster checks against the target's own cluster (its kubeconfig/context), read-only: production's
 * BackendConfig, Service and Ingress checked every night with credentials from the CI's secret store. Only
 * targets whose `cluster` section names a real cluster get these tests, and the project filter picks which
 * (src/cluster/target-access.ts): with no kubeconfig given, the one "not run" entry; with one, the connection
 * test and the checks.
 */
import * as allure from 'allure-js-commons';
import { expectPass, labelTest, runtimeTest } from '../../fixtures';
import { clusterExpectation } from '../../src/cluster/expectation';
import { clusterCheck, clusterCheckIds } from '../../src/cluster/registry';
import { CONNECTION_TAG, NOT_RUN_TAG, targetClusterAccess } from '../../src/cluster/target-access';
import { type ClusterConnection, ClusterError, connect, describeConnection } from '../../src/k8s/client';
import { liveSource } from '../../src/k8s/object-source';
import { pairTag } from '../../src/checks/registry';
import { oneLineError } from '../../src/report/one-line-error';

const CONNECTION_TITLE = 'cluster connection: kubeconfig, context, credentials';

/** A kubeconfig or credential fault: it will not heal within the run, and the connection test reports it. */
function isConfigFault(e: ClusterError): boolean {
  return e.details.reason === 'Config' || e.details.code === 401;
}

const test = runtimeTest.extend<object, { targetCluster: ClusterConnection | ClusterError }>({
  targetCluster: [
    async ({ runtime }, use) => {
      const c = runtime.target.cluster;
      // KUBECONFIG (or the file the target names) and the context the target names: nothing else is guessed.
      // A failure is handed to the tests rather than thrown here, where Playwright would print it, stack and all,
      // once per test.
      let conn: ClusterConnection | ClusterError;
      try {
        conn = await connect({ kubeconfig: c?.kubeconfig, context: c?.context });
      } catch (e) {
        if (!(e instanceof ClusterError)) throw e;
        conn = e;
      }
      await use(conn);
    },
    { scope: 'worker' },
  ],
});

test.describe('cluster checks on the target cluster', () => {
  // A skipped test is what a stakeholder reads as "not run": Allure counts it apart from passed and failed, and
  // shows the reason as its message. One entry for all checks, because one missing kubeconfig is one fact.
  test('cluster checks: not run without a kubeconfig', { tag: ['@cluster', '@smoke', NOT_RUN_TAG] }, async ({ runtime }) => {
    await labelTest('cluster', 'cluster checks not run', 'cluster', 'normal');
    const access = targetClusterAccess(runtime.target);
    if (access.state !== 'not-given') throw oneLineError(`target ${runtime.target.name}: a kubeconfig is given now, none was when the run started`);
    const list = clusterCheckIds.map((id) => `- ${clusterCheck(id).title}`).join('\n');
    await allure.description(`${access.message}\n\nThe cluster checks this entry stands for:\n\n${list}`);
    if (access.required) throw oneLineError(access.message);
    test.skip(true, access.message);
  });

  test(CONNECTION_TITLE, { tag: ['@cluster', '@smoke', CONNECTION_TAG] }, async ({ targetCluster }, testInfo) => {
    await labelTest('cluster', 'cluster connection', 'cluster', 'blocker');
    if (targetCluster instanceof ClusterError) throw oneLineError(targetCluster.message);
    testInfo.annotations.push({ type: 'cluster', description: describeConnection(targetCluster) });
  });

  for (const id of clusterCheckIds) {
    test(`${clusterCheck(id).title}`, { tag: ['@cluster', '@smoke', pairTag(id, 'cluster')] }, async ({ runtime, targetCluster }, testInfo) => {
      const check = clusterCheck(id);
      await labelTest('cluster', id, 'cluster', check.severity);
      if (targetCluster instanceof ClusterError) {
        // Said once, by the connection test; anything else (an unreachable server) may be passing: it fails here.
        test.skip(isConfigFault(targetCluster), `not run: "${CONNECTION_TITLE}" failed`);
        throw oneLineError(targetCluster.message);
      }
      const verdict = await check.run({ source: liveSource(targetCluster), expect: clusterExpectation(runtime.target) });
      await expectPass(testInfo, verdict);
    });
  }
});
