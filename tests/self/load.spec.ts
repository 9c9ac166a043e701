/**
 * Load on the local targets (@load): a small number of concurrent sessions, asserting VERDICTS, never timings
 * (figures are `npm run load` / `npm run bench`'s job). Healthy: every verdict green, with both transports. Under a
 * fault: red with the fault's cause — a missing affinity is `session-affinity`, an LB that strips Upgrade is
 * `upgrade-blocked` (clients silently left on polling are a failure, never a pass) — and no red verdict names any
 * other cause.
 */
import { describeVerdict, expect, labelTest, test } from '../../fixtures';
import { loadInSpec } from '../../fixtures/load';
import type { Verdict } from '../../src/verdict';

const SESSIONS = 24;
const DURATION_MS = 5000;
const plan = (transport: 'auto' | 'websocket') => ({ sessions: SESSIONS, durationMs: DURATION_MS, rampMs: 1000, transport });
const table = (vs: Verdict[]) => vs.map(describeVerdict).join('\n');

test.describe('load (@load)', () => {
  for (const target of ['local', 'local-plain']) {
    for (const transport of ['auto', 'websocket'] as const) {
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern; none needed.
      test(`${target}: ${SESSIONS} sessions (${transport}) connect, end on websocket, stay on one replica, echo to the end; no alert`, { tag: ['@load', '@selftest'] }, async ({}, testInfo) => {
        test.setTimeout(90_000);
        await labelTest('selftest', 'load', `${target} healthy ${transport}`, 'critical');
        const r = await loadInSpec(testInfo, { target, plan: plan(transport) });
        expect(r.verdicts.filter((v) => !v.ok), table(r.verdicts)).toEqual([]);
        expect(r.summary.connected).toBe(SESSIONS);
        expect(r.summary.onWebsocket).toBe(SESSIONS);
      });
    }
  }

  const faults = [
    { fault: 'no-affinity', cause: 'session-affinity', red: ['load-connections', 'load-affinity'] },
    { fault: 'lb-strips-upgrade', cause: 'upgrade-blocked', red: ['load-upgrade', 'alert-websocket-failures'] },
  ] as const;
  for (const f of faults) {
    for (const transport of ['auto', 'websocket'] as const) {
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern; none needed.
      test(`under load, fault ${f.fault} (${transport}) is red with ${f.cause}, never a pass`, { tag: ['@load', '@selftest'] }, async ({}, testInfo) => {
        test.setTimeout(120_000);
        await labelTest('selftest', 'load', `${f.fault} ${transport}`, 'critical');
        const r = await loadInSpec(testInfo, { fault: f.fault, plan: plan(transport) });
        const red = r.verdicts.filter((v) => !v.ok);
        // websocket-only: a stripped Upgrade refuses the connection itself, so the connect verdict carries it.
        const mustBeRed = transport === 'websocket' && f.fault === 'lb-strips-upgrade' ? ['load-connections', 'alert-websocket-failures'] : f.red;
        for (const name of mustBeRed) {
          expect(red.map((v) => v.check), table(r.verdicts)).toContain(name);
        }
        expect(
          red.map((v) => `${v.check}: ${v.cause}`),
          table(r.verdicts),
        ).toEqual(red.map((v) => `${v.check}: ${f.cause}`));
      });
    }
  }
});
