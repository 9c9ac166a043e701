/**
 * A load run: N sessions started evenly over the ramp, all held until the end of the run, echoing; meanwhile the
 * health endpoint is asked at a fixed interval (the seed's "2 consecutive health failures" rule needs the series).
 * Bounded in count and time by the options (src/load/options.ts); nothing here retries or reconnects.
 */
import type { CauseId } from '../causes/catalogue';
import type { CheckContext } from '../checks/context';
import { upgradeSettleMs } from '../checks/budget';
import { healthCheck } from '../checks/health';
import { type LiveCounters, type LoadTransport, runLoadSession, type SessionOutcome } from './session';

export interface LoadPlan {
  sessions: number;
  durationMs: number;
  rampMs: number;
  transport: LoadTransport;
  echoEveryMs: number;
  echoTimeoutMs: number;
  healthEveryMs: number;
  /**
   * At most this many sessions opening (page, handshake, upgrade) at once: a burst of thousands of handshakes on
   * one client's event loop opens them slower than a steady stream, and measures the burst, not the target.
   */
  maxOpening: number;
  /**
   * Instead of ending at durationMs, hold every session this long after the last one opened, so all N are
   * connected at once however long opening took (the bench; the duration is then the upper bound of the wait).
   */
  holdAfterOpenMs?: number;
  /** Sessions come back after a drop (failures during traffic: who reconnects, how fast). */
  reconnect?: boolean;
}

export interface HealthSample {
  /** ms since the start of the run. */
  at: number;
  ok: boolean;
  cause?: CauseId;
  observed: string;
}

export interface LoadRun {
  plan: LoadPlan;
  hop: string;
  startedAt: string;
  wallMs: number;
  /** When the last session had connected (or failed to), ms since the start: the time to open N sessions. */
  allOpenMs: number;
  /** The most sessions connected at once. */
  peakActive: number;
  outcomes: SessionOutcome[];
  health: HealthSample[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The run's live counters, handed out at its start: a failure during traffic waits on them to strike. */
export type LiveWatch = (live: Readonly<LiveCounters>) => void;

export async function runLoad(
  ctx: CheckContext,
  plan: LoadPlan,
  progress?: (live: LiveCounters, elapsedMs: number) => void,
  watch?: LiveWatch,
): Promise<LoadRun> {
  const runStart = Date.now();
  const live: LiveCounters = { started: 0, settled: 0, connected: 0, active: 0, peakActive: 0, onWebsocket: 0, failed: 0, echoes: 0 };
  const health: HealthSample[] = [];
  watch?.(live);
  const ticker = progress ? setInterval(() => progress(live, Date.now() - runStart), 1000) : undefined;

  const sessionPlan = {
    transport: plan.transport,
    runStart,
    endAt: plan.holdAfterOpenMs === undefined ? runStart + plan.durationMs : Number.POSITIVE_INFINITY,
    minHoldMs: upgradeSettleMs(ctx.target),
    echoEveryMs: plan.echoEveryMs,
    echoTimeoutMs: plan.echoTimeoutMs,
    reconnect: plan.reconnect,
  };
  const healthLoop = (async () => {
    if (!ctx.hop.health) return;
    while (Date.now() < sessionPlan.endAt) {
      const next = Date.now() + plan.healthEveryMs;
      const v = await healthCheck(ctx);
      health.push({ at: Date.now() - runStart, ok: v.ok, cause: v.cause, observed: v.observed });
      await sleep(Math.min(next, sessionPlan.endAt) - Date.now());
    }
  })();

  const sessions: Promise<SessionOutcome>[] = [];
  for (let i = 0; i < plan.sessions; i++) {
    await sleep(runStart + (plan.rampMs * i) / plan.sessions - Date.now());
    while (live.started - live.settled >= plan.maxOpening) await sleep(5);
    sessions.push(runLoadSession(ctx, i, sessionPlan, live));
  }
  if (plan.holdAfterOpenMs !== undefined) {
    const hold = plan.holdAfterOpenMs;
    const deadline = runStart + plan.durationMs;
    while (live.settled < plan.sessions && Date.now() < deadline) await sleep(20);
    sessionPlan.endAt = Math.min(Date.now() + hold, deadline + hold);
  }
  const outcomes = await Promise.all(sessions);
  await healthLoop;
  // The time to open N sessions: until the last one connected or failed to.
  const allOpenMs = Math.max(
    0,
    ...outcomes.map(({ record: r }) => (r.connectMs !== undefined ? r.startedAt + r.connectMs : (r.failures[0]?.at ?? r.startedAt))),
  );
  if (ticker) clearInterval(ticker);
  progress?.(live, Date.now() - runStart);
  return { plan, hop: ctx.hop.name, startedAt: new Date(runStart).toISOString(), wallMs: Date.now() - runStart, allOpenMs, peakActive: live.peakActive, outcomes, health };
}
