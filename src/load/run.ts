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

export async function runLoad(ctx: CheckContext, plan: LoadPlan, progress?: (live: LiveCounters, elapsedMs: number) => void): Promise<LoadRun> {
  const runStart = Date.now();
  const endAt = runStart + plan.durationMs;
  const live: LiveCounters = { started: 0, settled: 0, connected: 0, active: 0, peakActive: 0, onWebsocket: 0, failed: 0, echoes: 0 };
  const health: HealthSample[] = [];
  const ticker = progress ? setInterval(() => progress(live, Date.now() - runStart), 1000) : undefined;

  const healthLoop = (async () => {
    if (!ctx.hop.health) return;
    while (Date.now() < endAt) {
      const next = Date.now() + plan.healthEveryMs;
      const v = await healthCheck(ctx);
      health.push({ at: Date.now() - runStart, ok: v.ok, cause: v.cause, observed: v.observed });
      await sleep(Math.min(next, endAt) - Date.now());
    }
  })();

  const sessions: Promise<SessionOutcome>[] = [];
  const sessionPlan = {
    transport: plan.transport,
    runStart,
    endAt,
    minHoldMs: upgradeSettleMs(ctx.target),
    echoEveryMs: plan.echoEveryMs,
    echoTimeoutMs: plan.echoTimeoutMs,
  };
  for (let i = 0; i < plan.sessions; i++) {
    await sleep(runStart + (plan.rampMs * i) / plan.sessions - Date.now());
    sessions.push(runLoadSession(ctx, i, sessionPlan, live));
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
