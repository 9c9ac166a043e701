/**
 * The fault self-tests: each fault of faults/traffic.yaml is stood up for real (nginx, Theia mock,
 * Chromium), every check runs on every hop, and the verdicts must equal the matrix: the listed pairs red with the
 * listed cause, every other pair green. These assert verdicts and causes; nothing here is "expected to fail".
 */
import { attachTopology, attachVerdict, expect, labelTest, test } from '../../fixtures';
import { allChecksTimeoutMs } from '../../src/checks/budget';
import { applicablePairs, checksOnHop } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { loadTarget, withHopUrls } from '../../src/targets/load';
import { faultsFor } from '../../src/faults/traffic';
import { healthySettings } from '../../src/topology/defaults';
import { startTopology } from '../../src/topology/topology';

// Every fault stood up twice per run: a cause that changes between two runs of the same fault is a bug (a
// diagnosis that depends on timing), and `npm run flake` repeats this many more times.
const ROUNDS = [1, 2];

test.describe('fault matrix', () => {
  for (const fault of faultsFor('embedded')) for (const round of ROUNDS) {
    test(`${fault.id}: ${fault.title} (round ${round})`, { tag: ['@selftest', '@faultmatrix'] }, async ({ page }, testInfo) => {
      await labelTest('selftest', 'fault matrix', fault.id, 'critical');
      const topology = await startTopology(healthySettings(fault.settings));
      try {
        const target = withHopUrls(loadTarget('local'), topology.hopUrls);
        test.setTimeout(allChecksTimeoutMs(target, checksOnHop));
        const verdicts = await test.step('run every check on every hop', () => runAllChecks(target, { page }));
        for (const v of verdicts) if (!v.ok) await attachVerdict(testInfo, v);
        await testInfo.attach('verdicts', { body: formatVerdictTable(verdicts), contentType: 'text/plain' });
        // check@hop → ok | cause, without the timings: what `npm run flake` compares between runs.
        await testInfo.attach('verdict causes', { body: JSON.stringify(verdictTable(verdicts)), contentType: 'application/json' });

        const expected: Record<string, string> = {};
        for (const p of applicablePairs(target)) expected[`${p.check}@${p.hop}`] = fault.red[`${p.check}@${p.hop}`] ?? 'ok';
        for (const pair of Object.keys(fault.red)) {
          expect(pair in expected, `matrix names ${pair}, which the local target does not have`).toBe(true);
        }
        expect(verdictTable(verdicts), `verdicts for fault ${fault.id}:\n${formatVerdictTable(verdicts)}`).toEqual(expected);
      } finally {
        if (testInfo.status !== testInfo.expectedStatus) await attachTopology(testInfo, topology);
        await topology.stop();
      }
    });
  }
});
