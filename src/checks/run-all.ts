/**
 * Runs every applicable check on every hop of a target and returns the verdicts: the engine behind the fault
 * self-tests and the diagnose command. Hops run in parallel, checks within a hop one after another: a balanced
 * hop's round-robin then sees one client at a time, which keeps the outcome of a fault the same run after run.
 */
import type { Page } from '@playwright/test';
import { targetAtHop } from '../targets/hop-paths';
import type { Target } from '../targets/target';
import type { Verdict } from '../verdict';
import { browserTerminalCheck } from './browser-terminal';
import type { CheckContext } from './context';
import { trafficChecks } from './registry';

export interface RunAllOptions {
  headers?: Record<string, string>;
  ca?: string;
  resolve?: Record<string, string>;
  /** A browser page for the browser-terminal check; without one that check is not run (and says so). */
  page?: Page;
}

export async function runAllChecks(target: Target, opts: RunAllOptions = {}): Promise<Verdict[]> {
  const perHop = await Promise.all(
    target.hops.map(async (hop) => {
      const ctx: CheckContext = { target: targetAtHop(target, hop), hop, headers: opts.headers, ca: opts.ca, resolve: opts.resolve };
      const verdicts: Verdict[] = [];
      for (const check of trafficChecks) {
        if (check.appliesTo(hop)) verdicts.push(await check.run(ctx));
      }
      if (hop.browser && opts.page) verdicts.push(await browserTerminalCheck(opts.page, ctx));
      return verdicts;
    }),
  );
  return perHop.flat();
}

/** `check@hop` → `ok` or the cause: the shape the fault matrix is written in. */
export function verdictTable(verdicts: Verdict[]): Record<string, string> {
  const table: Record<string, string> = {};
  for (const v of verdicts) table[`${v.check}@${v.hop}`] = v.ok ? 'ok' : (v.cause ?? 'unknown');
  return table;
}

export function formatVerdictTable(verdicts: Verdict[]): string {
  const rows = verdicts.map((v) => [v.check, v.hop, v.ok ? 'ok' : 'FAIL', v.ok ? '' : (v.cause ?? ''), v.observed]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 5));
  return rows
    .map((r) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c.length > 160 ? `${c.slice(0, 160)}…` : c)).join('  '))
    .join('\n');
}
