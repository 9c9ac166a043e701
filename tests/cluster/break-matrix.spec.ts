/**
 * Cluster self-tests: every break of faults/manifests.yaml is staged in a namespace of its own (applied to the
 * worker's API server, or held in memory without one), every cluster check runs, and the outcome must equal
 * the matrix: the listed checks red with the listed cause, every other check green.
 */
import { attachVerdict, clusterTest as test, expect, labelTest } from '../../fixtures';
import { applicableClusterChecks, runClusterChecks } from '../../src/cluster/registry';
import { formatVerdictTable } from '../../src/checks/run-all';
import { expectedTable, loadClusterBreaks, outcomeTable } from '../../src/faults/manifests';

test.describe('cluster break matrix', () => {
  for (const b of loadClusterBreaks()) {
    test(`${b.id}: ${b.title}`, { tag: ['@cluster', '@selftest'] }, async ({ stage }, testInfo) => {
      await labelTest('selftest', 'cluster break matrix', b.id, 'critical');
      const staged = await test.step('stage the manifests with the break', () => stage({ set: b.set, patches: b.patches }));
      const verdicts = await test.step('run every cluster check', () => runClusterChecks(staged.ctx));
      for (const v of verdicts) if (!v.ok) await attachVerdict(testInfo, v);
      await testInfo.attach('verdicts', { body: formatVerdictTable(verdicts), contentType: 'text/plain' });

      const ids = applicableClusterChecks(staged.ctx).map((c) => c.id);
      expect(outcomeTable(verdicts), `verdicts for ${b.id}:\n${formatVerdictTable(verdicts)}`).toEqual(expectedTable(b, ids));
    });
  }
});
