/**
 * A load run from start to verdicts, shared by `npm run load`, `npm run bench` and the @load specs: run the
 * sessions, then (with no session in flight) diagnose each kind of failure once, then the figures and verdicts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext } from '../checks/context';
import type { Verdict } from '../verdict';
import { distributionSvg, latencyHistogramSvg } from './charts';
import { diagnoseFailures } from './diagnose';
import { openMetrics, summaryJson, summaryTable } from './report';
import { type LiveWatch, type LoadPlan, type LoadRun, runLoad } from './run';
import type { LiveCounters } from './session';
import { type LoadSummary, summarize } from './summary';
import { loadVerdicts } from './verdicts';

export interface LoadResult {
  summary: LoadSummary;
  verdicts: Verdict[];
  latencies: number[];
  run: LoadRun;
}

export const defaultPlan = (p: Partial<LoadPlan> & Pick<LoadPlan, 'sessions' | 'durationMs'>): LoadPlan => ({
  rampMs: Math.min(10_000, Math.floor(p.durationMs / 2)),
  transport: 'auto',
  echoEveryMs: 1000,
  echoTimeoutMs: 5000,
  healthEveryMs: 2000,
  maxOpening: 100,
  ...p,
});

export async function loadAndJudge(
  ctx: CheckContext,
  plan: LoadPlan,
  progress?: (live: LiveCounters, elapsedMs: number) => void,
  watch?: LiveWatch,
): Promise<LoadResult> {
  const run = await runLoad(ctx, plan, progress, watch);
  const kinds = await diagnoseFailures(ctx, run.outcomes);
  const summary = summarize(ctx.target.name, run, kinds);
  return { summary, verdicts: loadVerdicts(summary), latencies: run.outcomes.flatMap((o) => o.record.latencies), run };
}

export interface LoadFile {
  name: string;
  contentType: 'text/plain' | 'application/json' | 'image/svg+xml' | 'application/openmetrics-text';
  body: string;
}

/** Everything a run reports: the table, the JSON, the OpenMetrics text and the two pictures. */
export function loadFiles(r: LoadResult): LoadFile[] {
  const s = r.summary;
  const title = `${s.target} ${s.hop} ${s.transport}: ${s.sessions} sessions`;
  return [
    { name: 'load-summary.txt', contentType: 'text/plain', body: `${summaryTable(s, r.verdicts)}\n` },
    { name: 'load.json', contentType: 'application/json', body: summaryJson(s, r.verdicts) },
    { name: 'load.prom', contentType: 'application/openmetrics-text', body: openMetrics(s, r.verdicts, r.latencies) },
    { name: 'load-latency.svg', contentType: 'image/svg+xml', body: latencyHistogramSvg(r.latencies, `echo latency — ${title}`) },
    { name: 'load-distribution.svg', contentType: 'image/svg+xml', body: distributionSvg(s.replicas, s.failedSessions, `sessions per replica — ${title}`) },
  ];
}

export async function writeLoadFiles(r: LoadResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = loadFiles(r);
  await Promise.all(files.map((f) => writeFile(path.join(dir, f.name), f.body)));
  return files.map((f) => path.join(dir, f.name));
}
