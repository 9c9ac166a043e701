/**
 * The load figures of `npm run bench`: N sessions opened as fast as the machine allows (no ramp), through the LB
 * and then directly on the app (hop `pod`, the baseline), one fresh topology each with Theia's ping timers (as
 * `npm run load` runs by default), one after the other: sessions/s, time to
 * open N, echo p95 and the LB/direct p95 ratio. Printed, never asserted (the machines are noisy: quote ratios).
 */
import { loadTarget } from '../targets/load';
import { nginxCapacity } from './capacity';
import { defaultPlan, type LoadResult, loadAndJudge } from './load';
import { openLoadTarget } from './open-target';

const HOLD_MS = 15_000;

export interface LoadBenchOptions {
  sessions: number;
  durationMs: number;
  nginxWorkers?: number;
  transport?: 'auto' | 'websocket';
}

export async function benchLoad(o: LoadBenchOptions, print: (line: string) => void): Promise<{ lb: LoadResult; direct: LoadResult }> {
  const target = loadTarget('local');
  const capacity = nginxCapacity(o.sessions, o.nginxWorkers);
  const results: Record<string, LoadResult> = {};
  for (const hop of ['lb', 'pod']) {
    // A fresh topology per hop: the second run must not inherit the first one's sockets in TIME_WAIT or warm caches.
    const opened = await openLoadTarget(target, { hop, capacity, theiaTimers: true });
    try {
      // All at once, opened by at most maxOpening at a time, then all N held together for HOLD_MS.
      const plan = defaultPlan({ sessions: o.sessions, durationMs: o.durationMs, rampMs: 0, transport: o.transport ?? 'auto', holdAfterOpenMs: HOLD_MS });
      const r = await loadAndJudge(opened.ctx, plan);
      results[hop] = r;
      const s = r.summary;
      const red = r.verdicts.filter((v) => !v.ok).map((v) => `${v.check}=${v.cause}`);
      print(
        `${hop.padEnd(4)} ${o.sessions} sessions (${s.transport}): all open in ${(s.allOpenMs / 1000).toFixed(1)} s = ${s.sessionsPerSecond.toFixed(0)} sessions/s; ` +
          `${s.connected} connected (peak ${s.peakConcurrent} at once), ${s.onWebsocket} on websocket, ${s.failedSessions} failed; echo p50 ${s.latencyMs.p50.toFixed(1)} / p95 ${s.latencyMs.p95.toFixed(1)} / p99 ${s.latencyMs.p99.toFixed(1)} ms ` +
          `(${s.latencyMs.count} echoes); connect p95 ${s.connectMs.p95.toFixed(0)} ms${red.length ? `; RED ${red.join(' ')}` : ''}`,
      );
    } finally {
      await opened.topology?.stop();
    }
  }
  const lb = results.lb as LoadResult;
  const direct = results.pod as LoadResult;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
  print(
    `LB / direct: echo p95 ${ratio(lb.summary.latencyMs.p95, direct.summary.latencyMs.p95)}, p50 ${ratio(lb.summary.latencyMs.p50, direct.summary.latencyMs.p50)}, ` +
      `connect p95 ${ratio(lb.summary.connectMs.p95, direct.summary.connectMs.p95)}, time to open ${ratio(lb.summary.allOpenMs, direct.summary.allOpenMs)} ` +
      `(nginx ${capacity.workers} worker(s) × ${capacity.connections} connections)`,
  );
  return { lb, direct };
}
