/**
 * The figures of a load run, the seed's monitoring plan: connection success rate, WebSocket upgrade success rate,
 * session duration, per-replica distribution and whether each session stayed on one replica, echo latency, errors
 * by Engine.IO code and by cause, and the inputs of the alert rules (src/load/verdicts.ts).
 */
import type { CauseId } from '../causes/catalogue';
import { codeLabel, type FailureKind } from './diagnose';
import type { LoadRun } from './run';
import { longestRun, maxInWindow, type Quantiles, quantiles } from './stats';

export interface LoadSummary {
  target: string;
  hop: string;
  transport: string;
  startedAt: string;
  sessions: number;
  durationMs: number;
  rampMs: number;
  wallMs: number;
  /** Until every session had connected or failed to. */
  allOpenMs: number;
  /** Sessions connected per second while opening (connected / allOpenMs). */
  sessionsPerSecond: number;
  connected: number;
  /** The most sessions connected at once (N only if the machine opened them all before the first ones ended). */
  peakConcurrent: number;
  connectionSuccessRate: number;
  /** Sessions that ended on websocket (websocket-only: that connected on it), of those connected. */
  onWebsocket: number;
  upgradeSuccessRate: number;
  /** Connected sessions that dropped before their upgrade (counted as drops, not as upgrade failures). */
  droppedBeforeUpgrade: number;
  /** ms from connect to the upgrade (polling first only). */
  upgradeMs: Quantiles;
  connectMs: Quantiles;
  sessionDurationMs: Quantiles;
  /** Sessions per replica (the first replica that answered each). */
  replicas: Record<string, number>;
  /** Connected sessions that learned their replica (the app names it: the mock's `hello` and echo answers). */
  replicaKnown: number;
  /** Of those, sessions whose every answer came from one replica. */
  onOneReplica: number;
  onOneReplicaRate: number;
  latencyMs: Quantiles;
  /** Sessions per error code (the first failure of each failed session). */
  errorsByCode: Record<string, number>;
  /** Sessions per cause (the cause of each failed session's first failure). */
  errorsByCause: Partial<Record<CauseId, number>>;
  failedSessions: number;
  kinds: FailureKind[];
  /** Sessions that met an HTTP 400 anywhere, and their share of all sessions. */
  http400Sessions: number;
  http400Rate: number;
  websocketFailures: number;
  /** The most WebSocket failures in any 60 s window of the run. */
  websocketFailuresPerMinuteMax: number;
  health: { samples: number; failures: number; maxConsecutiveFailures: number; causes: CauseId[] };
}

export function summarize(targetName: string, run: LoadRun, kinds: FailureKind[]): LoadSummary {
  const records = run.outcomes.map((o) => o.record);
  const n = records.length;
  const connected = records.filter((r) => r.connected);
  const onWs = connected.filter((r) => r.endedOn === 'websocket' || (r.endedOn === undefined && r.upgradeMs !== undefined));
  const known = connected.filter((r) => r.replicas.length > 0);
  // Per connection: a session that reconnected (failures during traffic) may rightly come back on another replica.
  const oneReplica = known.filter((r) => !r.failures.some((f) => f.phase === 'replica-switch')).length;
  const replicas: Record<string, number> = {};
  for (const r of connected) {
    const first = r.replicas[0] ?? 'unknown';
    replicas[first] = (replicas[first] ?? 0) + 1;
  }
  const kindOf = (f: { phase: string; status?: number; eioCode?: number; websocket: boolean; message: string }) =>
    kinds.find((k) => k.phase === f.phase && k.status === f.status && k.eioCode === f.eioCode && k.websocket === f.websocket && k.message === f.message.replace(/\d+ ms/g, 'N ms'));
  const errorsByCode: Record<string, number> = {};
  const errorsByCause: Partial<Record<CauseId, number>> = {};
  const failed = records.filter((r) => r.failures.length > 0);
  for (const r of failed) {
    const f = r.failures[0];
    if (!f) continue;
    const code = `${f.phase}: ${codeLabel({ ...f, replayedEioCode: kindOf(f)?.replayedEioCode })}`;
    errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
    const cause = kindOf(f)?.cause ?? 'unexpected-response';
    errorsByCause[cause] = (errorsByCause[cause] ?? 0) + 1;
  }
  const wsTimes = records.flatMap((r) => r.failures.filter((f) => f.websocket).map((f) => f.at));
  const http400 = records.filter((r) => r.failures.some((f) => f.status === 400)).length;
  const healthFailures = run.health.map((h) => !h.ok);
  return {
    target: targetName,
    hop: run.hop,
    transport: run.plan.transport,
    startedAt: run.startedAt,
    sessions: n,
    durationMs: run.plan.durationMs,
    rampMs: run.plan.rampMs,
    wallMs: run.wallMs,
    allOpenMs: run.allOpenMs,
    sessionsPerSecond: run.allOpenMs > 0 ? connected.length / (run.allOpenMs / 1000) : 0,
    connected: connected.length,
    peakConcurrent: run.peakActive,
    connectionSuccessRate: n ? connected.length / n : 0,
    onWebsocket: onWs.length,
    upgradeSuccessRate: connected.length ? onWs.length / connected.length : 0,
    droppedBeforeUpgrade: connected.filter((r) => r.failures.some((f) => f.phase === 'drop') && r.endedOn !== 'websocket' && r.upgradeMs === undefined).length,
    upgradeMs: quantiles(connected.flatMap((r) => (r.upgradeMs === undefined ? [] : [r.upgradeMs]))),
    connectMs: quantiles(connected.map((r) => r.connectMs ?? 0)),
    sessionDurationMs: quantiles(connected.map((r) => r.aliveMs)),
    replicas,
    replicaKnown: known.length,
    onOneReplica: oneReplica,
    onOneReplicaRate: known.length ? oneReplica / known.length : 0,
    latencyMs: quantiles(records.flatMap((r) => r.latencies)),
    errorsByCode,
    errorsByCause,
    failedSessions: failed.length,
    kinds,
    http400Sessions: http400,
    http400Rate: n ? http400 / n : 0,
    websocketFailures: wsTimes.length,
    websocketFailuresPerMinuteMax: maxInWindow(wsTimes, 60_000),
    health: {
      samples: run.health.length,
      failures: healthFailures.filter(Boolean).length,
      maxConsecutiveFailures: longestRun(healthFailures),
      causes: [...new Set(run.health.flatMap((h) => (h.cause ? [h.cause] : [])))],
    },
  };
}
