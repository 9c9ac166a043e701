/**
 * Is the mock faithful? Every fault of faults/traffic.yaml that stands up in real-theia is stood up with the REAL Theia 1.74.1
 * (theia-app/, `npm run theia:build`; target local-theia: 2 pods of in-pod nginx + Theia behind the LB nginx), every
 * check runs on every hop (Chromium included), and each verdict and cause is compared with the mock's row — the
 * matrix, which fault-matrix.spec.ts holds the mock to. A difference must be written in the fault's `realTheia`
 * entry with its reason; an unexplained one, or a written one the run no longer shows, fails this test.
 *
 * One test, one step per fault, in one worker: two real Theia backends and a workbench in Chromium already load two
 * cores, and the whole table (fault × check × hop: mock, theia) is printed and attached at the end, as one piece.
 * SOCKETPROOF_CONFORMANCE_FAULTS=<id,id> runs a subset while working on one fault.
 */
import { attachTopology, attachVerdict, expect, labelTest, test } from '../../fixtures';
import { allChecksTimeoutMs, RUNNER_CAP_MS } from '../../src/checks/budget';
import { browserTerminalCheckName } from '../../src/checks/browser-terminal';
import { checksOnHop } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import {
  type ConformanceRow,
  compareWithMock,
  formatConformanceTable,
  realTheiaOverrides,
  staleDifferences,
  summarize,
} from '../../src/faults/conformance';
import { faultsFor } from '../../src/faults/traffic';
import { loadTarget, withHopUrls } from '../../src/targets/load';
import { requireBuiltTheia } from '../../src/theia/paths';
import { deepMerge, healthySettings } from '../../src/topology/defaults';
import { appSettings } from '../../src/runtime/embedded-settings';
import { startTopology } from '../../src/topology/topology';

/** Two real Theia backends on busy cores (src/topology/real-theia.ts allows 90 s), nginx, the relays. */
const TOPOLOGY_START_MS = 100_000;

test('the real Theia gives the mock\'s verdict and cause on every fault, check and hop', { tag: ['@selftest', '@conformance'] }, async ({ browser }, testInfo) => {
  await labelTest('selftest', 'theia conformance', 'fault × check × hop', 'critical');
  requireBuiltTheia(); // one line naming `npm run theia:build` when the app is not built
  const only = process.env.SOCKETPROOF_CONFORMANCE_FAULTS?.split(',').filter(Boolean);
  const faults = faultsFor('real-theia').filter((f) => !only || only.includes(f.id));
  const file = loadTarget('local-theia');
  test.setTimeout(Math.min(faults.length * (allChecksTimeoutMs(file, checksOnHop) + TOPOLOGY_START_MS), RUNNER_CAP_MS));

  const rows: ConformanceRow[] = [];
  const stale: string[] = [];
  const started = Date.now();
  for (const fault of faults) {
    await test.step(`${fault.id}: ${fault.title}`, async () => {
      const topology = await startTopology(healthySettings(deepMerge(appSettings(file), realTheiaOverrides(fault))));
      // A fresh browser context per fault: no cookie, cache or trust answer carried from the previous one.
      const context = await browser.newContext();
      let failed = true;
      try {
        const target = withHopUrls(file, topology.hopUrls);
        const verdicts = await runAllChecks(target, { page: await context.newPage() });
        const table = verdictTable(verdicts);
        const mine = compareWithMock(fault, table);
        rows.push(...mine);
        stale.push(...staleDifferences(fault, table));
        await testInfo.attach(`${fault.id}: real Theia verdicts`, { body: formatVerdictTable(verdicts), contentType: 'text/plain' });
        // The browser's verdict always (its screenshot shows the real workbench), every other one when red.
        for (const v of verdicts) if (!v.ok || v.check === browserTerminalCheckName) await attachVerdict(testInfo, v);
        failed = mine.some((r) => r.status === 'UNEXPLAINED');
      } finally {
        await context.close();
        if (failed) await attachTopology(testInfo, topology);
        await topology.stop();
      }
    });
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const text = `${formatConformanceTable(rows)}\n\n${summarize(rows)}; ${minutes} min`;
  console.log(`\nreal Theia vs mock (fault × check × hop):\n${text}`);
  await testInfo.attach('conformance table (fault × check × hop: mock, theia)', { body: text, contentType: 'text/plain' });
  expect(rows.filter((r) => r.status === 'UNEXPLAINED'), text).toEqual([]);
  expect(stale, 'differences written in the matrix that the run did not show').toEqual([]);
});
