/**
 * One watch round: the smoke checks of the check registry on the watched hop (the same functions `npm run smoke`
 * runs), one after another, then a small load probe through the load run of `npm run load` (src/load/load.ts), whose
 * verdicts and diagnosis come with it. Nothing here decides: the round is data for decide.ts.
 */
import { trafficChecks } from '../../checks/registry';
import type { CheckContext } from '../../checks/context';
import { defaultPlan, loadAndJudge } from '../../load/load';
import type { Verdict } from '../../verdict';
import type { RoundFailure, WatchRound } from './decide';

export interface ProbePlan {
  sessions: number;
  durationMs: number;
}

/** A few sessions for 2 s: a low rate, bounded well inside the read-only (production) load caps. */
export const DEFAULT_PROBE: ProbePlan = { sessions: 4, durationMs: 2000 };

export interface RoundResult {
  round: WatchRound;
  smoke: Verdict[];
  load: Verdict[];
  ms: number;
}

/** The smoke subset of the registry, on this hop. */
export function smokeChecksFor(ctx: CheckContext) {
  return trafficChecks.filter((c) => c.smoke && c.appliesTo(ctx.hop));
}

const asFailure = (v: Verdict): RoundFailure => ({ check: v.check, cause: v.cause, observed: v.observed });

export async function runRound(ctx: CheckContext, n: number, watchStartedAt: number, probe: ProbePlan): Promise<RoundResult> {
  const t0 = Date.now();
  const smoke: Verdict[] = [];
  for (const check of smokeChecksFor(ctx)) smoke.push(await check.run(ctx));
  const plan = defaultPlan({ sessions: probe.sessions, durationMs: probe.durationMs, rampMs: 0, healthEveryMs: probe.durationMs });
  const result = await loadAndJudge(ctx, plan);
  const s = result.summary;
  // The alert verdicts are judged over the watch's last minute by decide(); the other load verdicts (every session
  // connects, upgrades, stays on its replica, lasts) are this round's health like the smoke checks.
  const roundFailures = [...smoke, ...result.verdicts.filter((v) => !v.check.startsWith('alert-'))].filter((v) => !v.ok).map(asFailure);
  return {
    round: {
      n,
      endedAtMs: Date.now() - watchStartedAt,
      failures: roundFailures,
      load: {
        sessions: s.sessions,
        http400Sessions: s.http400Sessions,
        websocketFailures: s.websocketFailures,
        cause400: s.kinds.find((k) => k.status === 400)?.cause,
        causeWebsocket: s.kinds.find((k) => k.websocket)?.cause,
      },
    },
    smoke,
    load: result.verdicts,
    ms: Date.now() - t0,
  };
}
