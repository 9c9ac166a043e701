/**
 * The watch after a verified apply: rounds (smoke checks + load probe, round.ts) every `intervalMs` for
 * `durationMs`, each judged by decide.ts with every round so far. Ends healthy, with a rollback decision (the
 * caller rolls back: the same path as a failed verification, journal included), or stopped by a signal.
 * When the watch ends: see watchDone() (decide.ts).
 * A signal ends the watch at the end of the current round (rounds are bounded: the checks' own deadlines and a
 * 2 s probe) or at once during the wait between rounds.
 */
import type { CheckContext } from '../../checks/context';
import type { InterruptGate } from '../engine/interrupt';
import { Interrupted } from '../engine/outcome';
import { decide, settleDecision, watchDone, type WatchDecision, type WatchRound } from './decide';
import type { WatchOptions } from './options';
import { runRound } from './round';
import { roundLine } from './text';

export type WatchOutcome =
  | { kind: 'healthy'; rounds: number; ms: number }
  | { kind: 'rollback'; rounds: number; ms: number; decision: Extract<WatchDecision, { action: 'rollback' }> }
  | { kind: 'stopped'; rounds: number; ms: number; signal: 'SIGINT' | 'SIGTERM' };

/** Between settle rounds: short, the change is expected any moment. */
const SETTLE_PAUSE_MS = 1000;

export async function runWatch(
  ctx: CheckContext,
  opts: WatchOptions & { settleMs: number },
  gate: InterruptGate,
  say: (line: string) => void,
): Promise<WatchOutcome> {
  const probe = { sessions: opts.sessions, durationMs: 2000 };
  const rounds: WatchRound[] = [];
  let t0 = Date.now();
  try {
    // Settle: until the first healthy round (it counts as round 1 of the watch).
    const settleStart = Date.now();
    for (let s = 1; ; s++) {
      const r = await runRound(ctx, 1, Date.now(), probe);
      const d = settleDecision(r.round, Date.now() - settleStart, opts.settleMs);
      const label = d === 'settled' ? 'round 1' : `settling ${s}`;
      say(roundLine(label, r.round, r.smoke, r.load, d === 'settled' || d === 'wait' ? decide([r.round]) : d, r.ms, d !== 'settled'));
      gate.check();
      if (d === 'settled') {
        t0 = Date.now() - r.ms;
        rounds.push({ ...r.round, endedAtMs: r.ms });
        break;
      }
      if (d !== 'wait') return { kind: 'rollback', rounds: 0, ms: Date.now() - settleStart, decision: d as Extract<WatchDecision, { action: 'rollback' }> };
      await gate.sleep(SETTLE_PAUSE_MS);
    }
    while (!watchDone(rounds, Date.now() - t0, opts.durationMs)) {
      // The full interval every time, also for the rounds past the duration: rounds keep their rate.
      await gate.sleep(opts.intervalMs);
      const r = await runRound(ctx, rounds.length + 1, t0, probe);
      rounds.push(r.round);
      const d = decide(rounds);
      say(roundLine(`round ${r.round.n}`, r.round, r.smoke, r.load, d, r.ms));
      if (d.action === 'rollback') return { kind: 'rollback', rounds: rounds.length, ms: Date.now() - t0, decision: d };
      gate.check();
    }
    return { kind: 'healthy', rounds: rounds.length, ms: Date.now() - t0 };
  } catch (e) {
    if (e instanceof Interrupted) return { kind: 'stopped', rounds: rounds.length, ms: Date.now() - t0, signal: e.signal };
    throw e;
  }
}
