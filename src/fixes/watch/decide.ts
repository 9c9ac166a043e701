/**
 * The watch's rule book, as a pure function: the rounds so far in, what to do out. The seed's auto-rollback rule:
 * roll back on 2 consecutive health failures, or on an alert rule firing (400 error rate above 1 %, more than 5
 * WebSocket failures a minute). The alert thresholds are the load run's (src/load/verdicts.ts ALERTS), so the watch
 * and `npm run load` can never disagree about what "firing" means.
 *
 * Why the alerts are judged over the last 60 s of rounds and not per round: the seed states them as rates over
 * traffic ("a minute"), and a watch probe is a handful of sessions; summing the rounds of the last minute is the
 * same rate a monitoring system would compute over that minute. Alerts are looked at before the consecutive-failure
 * rule: an alert names a measured rate, the more specific evidence, and it fires on the first bad round.
 */
import type { CauseId } from '../../causes/catalogue';
import { ALERTS } from '../../load/verdicts';

export const WATCH_RULES = {
  consecutiveFailures: ALERTS.consecutiveHealthFailures,
  http400RateAbove: ALERTS.http400RateAbove,
  websocketFailuresPerMinuteAbove: ALERTS.websocketFailuresPerMinuteAbove,
  windowMs: 60_000,
} as const;

export type WatchRules = typeof WATCH_RULES;

/** One red check of a round (a smoke check, or a load-probe verdict other than the alerts). */
export interface RoundFailure {
  check: string;
  cause?: CauseId;
  observed: string;
}

export interface WatchRound {
  n: number;
  /** When the round ended, ms since the watch began. */
  endedAtMs: number;
  failures: RoundFailure[];
  load: {
    sessions: number;
    http400Sessions: number;
    websocketFailures: number;
    /** The diagnosed cause of the sessions that met a 400 / a WebSocket failure (the load run's diagnosis). */
    cause400?: CauseId;
    causeWebsocket?: CauseId;
  };
}

export type WatchRule = 'consecutive-failures' | 'alert-400-rate' | 'alert-websocket-failures' | 'never-healthy';

/** The alert figures over the window that ends with the last round. */
export interface WindowFigures {
  rounds: number;
  sessions: number;
  http400Sessions: number;
  http400Rate: number;
  websocketFailures: number;
}

export type WatchDecision =
  | { action: 'continue'; failuresInARow: number; window: WindowFigures }
  | { action: 'rollback'; rule: WatchRule; cause?: CauseId; evidence: string; failuresInARow: number; window: WindowFigures };

/** `1 %`, `0.5 %`, `33.33 %`: no trailing zeros, so a threshold reads as the seed wrote it. */
export const pct = (x: number) => `${Number((x * 100).toFixed(2))} %`;

export function windowFigures(rounds: WatchRound[], rules: WatchRules = WATCH_RULES): WindowFigures {
  const last = rounds.at(-1);
  const inWindow = last ? rounds.filter((r) => r.endedAtMs > last.endedAtMs - rules.windowMs) : [];
  const sessions = inWindow.reduce((n, r) => n + r.load.sessions, 0);
  const http400Sessions = inWindow.reduce((n, r) => n + r.load.http400Sessions, 0);
  return {
    rounds: inWindow.length,
    sessions,
    http400Sessions,
    http400Rate: sessions === 0 ? 0 : http400Sessions / sessions,
    websocketFailures: inWindow.reduce((n, r) => n + r.load.websocketFailures, 0),
  };
}

/** How many rounds at the end failed, one after another. */
export function failuresInARow(rounds: WatchRound[]): number {
  let n = 0;
  for (let i = rounds.length - 1; i >= 0 && (rounds[i]?.failures.length ?? 0) > 0; i--) n++;
  return n;
}

export function describeFailures(r: WatchRound): string {
  return r.failures.map((f) => `${f.check} → ${f.cause ?? 'unknown'}`).join(', ');
}

export function decide(rounds: WatchRound[], rules: WatchRules = WATCH_RULES): WatchDecision {
  const window = windowFigures(rounds, rules);
  const inARow = failuresInARow(rounds);
  const over = `in the last ${rules.windowMs / 1000} s (${window.rounds} round(s))`;
  const lastWith = (pick: (r: WatchRound) => CauseId | undefined) => [...rounds].reverse().map(pick).find(Boolean);
  if (window.http400Rate > rules.http400RateAbove) {
    const cause = lastWith((r) => r.load.cause400);
    return {
      action: 'rollback',
      rule: 'alert-400-rate',
      cause,
      evidence: `${window.http400Sessions}/${window.sessions} probe sessions met an HTTP 400 ${over}: ${pct(window.http400Rate)}, above ${pct(rules.http400RateAbove)}`,
      failuresInARow: inARow,
      window,
    };
  }
  if (window.websocketFailures > rules.websocketFailuresPerMinuteAbove) {
    const cause = lastWith((r) => r.load.causeWebsocket);
    return {
      action: 'rollback',
      rule: 'alert-websocket-failures',
      cause,
      evidence: `${window.websocketFailures} WebSocket failures ${over}, above ${rules.websocketFailuresPerMinuteAbove} a minute`,
      failuresInARow: inARow,
      window,
    };
  }
  if (inARow >= rules.consecutiveFailures) {
    const failed = rounds.slice(-inARow);
    const cause = failed.at(-1)?.failures[0]?.cause;
    return {
      action: 'rollback',
      rule: 'consecutive-failures',
      cause,
      evidence: `${inARow} consecutive rounds failed (${failed.map((r) => `round ${r.n}: ${describeFailures(r)}`).join('; ')})`,
      failuresInARow: inARow,
      window,
    };
  }
  return { action: 'continue', failuresInARow: inARow, window };
}

/**
 * Before the rounds count, the change has to reach the traffic: a load balancer picks up a BackendConfig in its own
 * time (minutes on GKE, a second in the playground). The watch waits for the first healthy round, at most
 * `settleMs` (apply-fix's --verify-timeout); a fix whose traffic never becomes healthy in that time is rolled back.
 * Rounds while settling do not count toward the consecutive-failure rule: they saw the state before the change.
 */
export function settleDecision(round: WatchRound, elapsedMs: number, settleMs: number): 'settled' | 'wait' | WatchDecision {
  const alone = decide([round]);
  if (round.failures.length === 0 && alone.action === 'continue') return 'settled';
  if (elapsedMs < settleMs) return 'wait';
  const why = alone.action === 'rollback' && alone.rule !== 'consecutive-failures' ? `${alone.rule}: ${alone.evidence}` : describeFailures(round);
  return {
    action: 'rollback',
    rule: 'never-healthy',
    cause: alone.action === 'rollback' ? alone.cause : round.failures[0]?.cause,
    evidence: `no healthy round within ${(settleMs / 1000).toFixed(0)} s of the apply; the last one (round ${round.n}): ${why}`,
    failuresInARow: alone.failuresInARow,
    window: alone.window,
  };
}

/**
 * The watch is over when its duration has passed AND it ran at least as many rounds as the consecutive rule needs
 * (a one-round watch could never apply that rule) AND its last round was healthy: a failure in the last round is
 * judged by one more round, never left unjudged behind a "healthy" end. So a watch runs at most one round past its
 * duration, and the number of rounds never depends on how long a round takes when the duration is short.
 */
export function watchDone(rounds: WatchRound[], elapsedMs: number, durationMs: number, rules: WatchRules = WATCH_RULES): boolean {
  const last = rounds.at(-1);
  return elapsedMs >= durationMs && rounds.length >= rules.consecutiveFailures && last !== undefined && last.failures.length === 0;
}
