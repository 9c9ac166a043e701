/**
 * apply-fix's 7th step: the watch, between the verification and the end of the run, with the journal still in
 * place (step `watching`). A rule that fires throws Stop(watchRolledBack): apply-fix's one failure path then rolls
 * back from the backup and proves the objects equal it, exactly as after a failed verification. A signal ends the
 * watch without rolling back (see docs/apply-and-rollback.md: the fix was verified and no rule fired; the operator
 * who stops watching has not seen evidence against it).
 */
import type { InterruptGate } from '../engine/interrupt';
import { ExitCode, Stop } from '../engine/outcome';
import type { Progress } from '../engine/progress';
import type { WatchOptions } from './options';
import { runWatch } from './run-watch';
import { ruleLine, rulesLine } from './text';
import { openWatchTraffic, type PreparedTraffic } from './traffic';

export interface WatchRequest {
  watch: WatchOptions;
  traffic: PreparedTraffic;
  settleMs: number;
  /** Whether this run wrote anything (else there is nothing to roll back, and nothing to watch for). */
  changed: boolean;
  gate: InterruptGate;
  p: Progress;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export async function watchAfterApply(r: WatchRequest): Promise<{ stopped: boolean; summary: string }> {
  const { watch, p } = r;
  if (!r.changed) {
    p.step('watch', 'skipped: this run changed nothing, so there is nothing to watch or roll back');
    return { stopped: false, summary: '' };
  }
  const ctx = await openWatchTraffic(r.traffic);
  p.note(
    `watching ${ctx.target.name} hop ${ctx.hop.name} (${ctx.hop.url}) for ${secs(watch.durationMs)}, a round every ${secs(watch.intervalMs)}: smoke checks + load probe of ${watch.sessions} session(s); ${rulesLine()}`,
  );
  const out = await runWatch(ctx, { ...watch, settleMs: r.settleMs }, r.gate, (line) => p.note(line));
  if (out.kind === 'rollback') {
    p.note(ruleLine(out.decision));
    throw new Stop(`watch: ${out.decision.rule}${out.decision.cause ? ` (cause ${out.decision.cause})` : ''} after ${out.rounds} round(s)`, ExitCode.watchRolledBack);
  }
  if (out.kind === 'stopped') {
    p.step('watch', `${out.signal}: watch ended after ${out.rounds} round(s), ${secs(out.ms)} of ${secs(watch.durationMs)}; NOT rolled back`);
    return { stopped: true, summary: '' };
  }
  p.step('watch', `healthy: ${out.rounds} round(s) over ${secs(out.ms)}, no rule fired`);
  return { stopped: false, summary: ` and watched for ${secs(out.ms)} (${out.rounds} healthy round(s))` };
}
