/**
 * The faults a kind cluster can show, against the real cluster (`kind-faults` project, after the setup): kube-proxy
 * affinity off with 2 replicas, and Upgrade stripped in the pods' nginx. Each is made for real, every check runs on
 * every hop (and Chromium), the verdicts must equal faults/traffic.yaml for the hops kind has, and the
 * cluster is restored afterwards, also when the comparison failed.
 */
import { expect, test } from '../../fixtures/base';
import { applicablePairs } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { connect } from '../../src/k8s/client';
import { faultsFor } from '../../src/faults/traffic';
import { applyKindFault, KIND_FAULTS, type KindFault, type KindFaultContext, kindFaults, restoreKind } from '../../src/kind/cluster/faults';
import { runningKindDocker } from '../../src/kind/docker-engine/kind-engine';
import { clusterName, kubeconfigPath } from '../../src/kind/settings';
import { loadTarget } from '../../src/targets/load';


// In order, one at a time (each changes the cluster the next one tests); a failure does not skip the rest.
test.describe.configure({ mode: 'default' });

for (const fault of faultsFor('kind')) {
  const id = fault.id;
  test(`kind: ${id}`, { tag: ['@selftest', '@kind'] }, async ({ page }, testInfo) => {
    if (id !== 'healthy' && !kindFaults.includes(id as KindFault)) throw new Error(`faults/traffic.yaml says ${id} stands up in kind, but src/kind/cluster/faults.ts cannot make it`);
    const target = loadTarget('kind');
    const urls = target.hops.map((h) => h.url);
    const conn = await connect({ kubeconfig: kubeconfigPath(), timeoutMs: 10_000 });
    const docker = runningKindDocker();
    if (!docker) throw new Error('the kind engine is not running: the kind-cluster setup starts it');
    const ctx: KindFaultContext = { conn, docker, node: `${clusterName()}-control-plane`, urls };
    try {
      if (id !== 'healthy') {
        const t = await test.step(`make the fault: ${id}`, () => applyKindFault(ctx, id as KindFault));
        testInfo.annotations.push({ type: 'figures', description: `fault in effect (${t.ready}) after ${t.readyMs} ms` });
      }
      const verdicts = await test.step('run every check on every hop', () => runAllChecks(target, { page }));
      await testInfo.attach('verdicts', { body: formatVerdictTable(verdicts), contentType: 'text/plain' });
      const expected: Record<string, string> = {};
      for (const p of applicablePairs(target)) expected[`${p.check}@${p.hop}`] = fault.red[`${p.check}@${p.hop}`] ?? 'ok';
      const got = verdictTable(verdicts);
      // Pairs left to kube-proxy's random choice: the fault's cause or ok, never another cause; the rest exactly.
      const chance = id === 'healthy' ? undefined : KIND_FAULTS[id as KindFault].chance;
      for (const pair of chance?.pairs ?? []) {
        expect([expected[pair], 'ok'], `${pair} under ${id} in kind: ${chance?.reason}`).toContain(got[pair]);
        testInfo.annotations.push({ type: 'chance', description: `${pair}: ${got[pair]} this run (${chance?.reason})` });
        got[pair] = expected[pair] as string;
      }
      expect(got, `verdicts for fault ${id} in kind:\n${formatVerdictTable(verdicts)}`).toEqual(expected);
    } finally {
      if (id !== 'healthy') await test.step('restore the cluster', () => restoreKind(ctx));
    }
  });
}
