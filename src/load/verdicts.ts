/**
 * A load run as verdicts: what every session must do (connect, end on websocket, stay on one replica, last the run)
 * and the seed's alert rules — 400 rate above 1 %, more than 5 WebSocket failures a minute, 2 consecutive health
 * failures. A red verdict names the cause the checks' diagnosis gave the failures it counts (src/load/diagnose.ts).
 */
import type { CauseId } from '../causes/catalogue';
import { VerdictBuilder } from '../checks/evidence';
import type { Verdict } from '../verdict';
import type { FailureKind } from './diagnose';
import type { FailurePhase } from './session';
import type { LoadSummary } from './summary';

/** The seed's alert rules. */
export const ALERTS = {
  http400RateAbove: 0.01,
  websocketFailuresPerMinuteAbove: 5,
  consecutiveHealthFailures: 2,
} as const;

const pct = (x: number) => `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 2)} %`;

/** The cause of the kinds that count, the one met by most sessions (kinds are sorted that way). */
function causeOf(kinds: FailureKind[]): CauseId {
  return kinds[0]?.cause ?? 'unexpected-response';
}

function describeKinds(kinds: FailureKind[]): string {
  return kinds
    .slice(0, 3)
    .map((k) => `${k.sessions} session(s): ${k.phase} ${k.message}${k.status ? ` (HTTP ${k.status}${k.eioCode !== undefined ? `, Engine.IO ${k.eioCode}` : ''})` : ''} → ${k.cause}: ${k.diagnosis}`)
    .join(' | ');
}

export function loadVerdicts(s: LoadSummary): Verdict[] {
  const kinds = (...phases: FailurePhase[]) => s.kinds.filter((k) => phases.includes(k.phase));
  const verdicts: Verdict[] = [];
  const add = (check: string, expected: string, ok: boolean, red: FailureKind[], observed: string, cause?: CauseId) => {
    const v = new VerdictBuilder(check, s.hop, expected);
    verdicts.push(ok ? v.pass(observed) : v.fail(cause ?? causeOf(red), `${observed}; ${describeKinds(red)}`));
  };

  const notConnected = kinds('page', 'connect');
  add(
    'load-connections',
    `all ${s.sessions} sessions connect (${s.transport})`,
    s.connected === s.sessions,
    notConnected,
    `${s.connected}/${s.sessions} connected (${pct(s.connectionSuccessRate)}), connect p95 ${s.connectMs.p95.toFixed(0)} ms`,
  );

  // With no session connected, nothing about upgrades, replicas or drops was observed: red with the connect cause,
  // never a pass of 0/0.
  const none = s.connected === 0 ? notConnected : [];
  const upgrade = s.connected === 0 ? none : kinds('upgrade');
  add(
    'load-upgrade',
    s.transport === 'websocket'
      ? 'every connected session is on websocket'
      : 'every connected session ends on websocket (one that stayed on polling is a failure, not a pass)',
    // A session dropped while still polling failed already (load-session-drops); one that stayed on polling to the
    // end is an upgrade failure of its own (recorded by the session), so the verdict reads the upgrade failures.
    s.connected > 0 && upgrade.length === 0,
    upgrade,
    `${s.onWebsocket}/${s.connected} connected sessions on websocket (${pct(s.upgradeSuccessRate)})${
      s.droppedBeforeUpgrade ? `, ${s.droppedBeforeUpgrade} dropped while still polling` : ''
    }`,
  );

  const affinity = s.connected === 0 ? none : s.kinds.filter((k) => k.cause === 'session-affinity');
  const spread = Object.entries(s.replicas).map(([r, n]) => `${r} ${n}`).join(', ');
  add(
    'load-affinity',
    'every session stays on one replica: none answered by two, none refused by a replica that does not know it',
    s.connected > 0 && affinity.length === 0 && s.onOneReplica === s.replicaKnown,
    affinity.length > 0 ? affinity : kinds('replica-switch'),
    `${s.onOneReplica}/${s.replicaKnown} sessions that learned their replica stayed on one${
      s.replicaKnown < s.connected ? ` (${s.connected - s.replicaKnown} connected sessions were not told their replica by the app)` : ''
    }; sessions per replica: ${spread || 'none'}`,
    s.connected === 0 ? causeOf(none) : 'session-affinity',
  );

  const drops = s.connected === 0 ? none : kinds('drop', 'echo');
  add(
    'load-session-drops',
    `every connected session lasts to the end of the run and every echo is answered`,
    s.connected > 0 && drops.length === 0,
    drops,
    `session duration p50 ${(s.sessionDurationMs.p50 / 1000).toFixed(1)} s, ${s.latencyMs.count} echoes, p95 ${s.latencyMs.p95.toFixed(1)} ms`,
  );

  add(
    'alert-400-rate',
    `sessions meeting an HTTP 400 ≤ ${pct(ALERTS.http400RateAbove)} of all sessions (seed alert: 400 rate above 1 %)`,
    s.http400Rate <= ALERTS.http400RateAbove,
    s.kinds.filter((k) => k.status === 400),
    `${s.http400Sessions}/${s.sessions} sessions met a 400 (${pct(s.http400Rate)})`,
  );

  add(
    'alert-websocket-failures',
    `≤ ${ALERTS.websocketFailuresPerMinuteAbove} WebSocket failures in any minute (seed alert)`,
    s.websocketFailuresPerMinuteMax <= ALERTS.websocketFailuresPerMinuteAbove,
    s.kinds.filter((k) => k.websocket),
    `${s.websocketFailures} WebSocket failures, at most ${s.websocketFailuresPerMinuteMax} in one minute`,
  );

  const h = new VerdictBuilder(
    'alert-health',
    s.hop,
    `fewer than ${ALERTS.consecutiveHealthFailures} consecutive health failures during the run (seed rule: roll back)`,
  );
  verdicts.push(
    s.health.maxConsecutiveFailures < ALERTS.consecutiveHealthFailures
      ? h.pass(
          s.health.samples === 0
            ? 'not asked: the hop declares no health endpoint'
            : `${s.health.samples} health probes, ${s.health.failures} failed, at most ${s.health.maxConsecutiveFailures} in a row`,
        )
      : h.fail(
          s.health.causes[0] ?? 'health-endpoint-down',
          `${s.health.maxConsecutiveFailures} consecutive health failures (${s.health.failures}/${s.health.samples} probes failed)`,
        ),
  );
  return verdicts;
}
