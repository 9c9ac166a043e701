/** The watch's lines: one status line per round, the rule that fired with its evidence. Pure, so unit-testable. */
import type { Verdict } from '../../verdict';
import { pct, WATCH_RULES, type WatchDecision, type WatchRound } from './decide';
const short = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function smokePart(smoke: Verdict[]): string {
  const red = smoke.filter((v) => !v.ok);
  if (red.length === 0) return `smoke ok ${smoke.length}/${smoke.length}`;
  return `smoke FAILED ${red.length}/${smoke.length}: ${red.map((v) => `${v.check} → ${v.cause ?? 'unknown'} (${short(v.observed)})`).join('; ')}`;
}

export function loadPart(round: WatchRound, load: Verdict[], d: WatchDecision): string {
  const w = d.window;
  const red = load.filter((v) => !v.ok && !v.check.startsWith('alert-'));
  const l = round.load;
  return [
    `load ${l.sessions} sessions, ${l.http400Sessions} met a 400`,
    `400 rate ${pct(w.http400Rate)} (${w.http400Sessions}/${w.sessions} in the last ${WATCH_RULES.windowMs / 1000} s)`,
    `ws failures ${w.websocketFailures}/min`,
    ...(red.length > 0 ? [`probe FAILED: ${red.map((v) => `${v.check} → ${v.cause ?? 'unknown'}`).join(', ')}`] : []),
  ].join(', ');
}

/**
 * `round 2  smoke ok 5/5 | load … | failed rounds in a row 0/2  (6.1 s)`; a round while settling says it does not
 * count (it may have seen the traffic before the change reached it).
 */
export function roundLine(label: string, round: WatchRound, smoke: Verdict[], load: Verdict[], d: WatchDecision, ms: number, settling = false): string {
  const count = settling ? 'not counted: waiting for the change to reach the traffic' : `failed rounds in a row ${d.failuresInARow}/${WATCH_RULES.consecutiveFailures}`;
  return `${label}  ${smokePart(smoke)} | ${loadPart(round, load, d)} | ${count}  (${(ms / 1000).toFixed(1)} s)`;
}

const RULE_TEXT: Record<string, string> = {
  'consecutive-failures': `${WATCH_RULES.consecutiveFailures} consecutive health failures`,
  'alert-400-rate': `alert: 400 error rate above ${pct(WATCH_RULES.http400RateAbove)}`,
  'alert-websocket-failures': `alert: more than ${WATCH_RULES.websocketFailuresPerMinuteAbove} WebSocket failures a minute`,
  'never-healthy': 'never healthy after the apply',
};

/** What the watch rolls back on, from the rules themselves (so the header can never state other thresholds). */
export function rulesLine(): string {
  const r = WATCH_RULES;
  return `rolls back on ${r.consecutiveFailures} consecutive failed rounds or an alert (400 rate > ${pct(r.http400RateAbove)}, > ${r.websocketFailuresPerMinuteAbove} WebSocket failures a minute)`;
}

export function ruleLine(d: Extract<WatchDecision, { action: 'rollback' }>): string {
  return `rule fired: ${RULE_TEXT[d.rule]} [${d.rule}]${d.cause ? `, cause ${d.cause}` : ''}: ${d.evidence}`;
}
