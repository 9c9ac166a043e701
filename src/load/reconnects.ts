/**
 * Failures during traffic, in figures: how many sessions dropped, how many came back, from which replica to which,
 * and how fast (from the drop to the namespace connected again). Read from sessions run with `reconnect`.
 */
import type { SessionOutcome } from './session';
import { type Quantiles, quantiles } from './stats';

export interface ReconnectFigures {
  /** Sessions that dropped at least once. */
  sessionsDropped: number;
  drops: number;
  /** Drops followed by a connected session again before the end of the run. */
  reconnected: number;
  notBack: number;
  ms: Quantiles;
  /** `pod-0 → pod-1` → how many reconnections took that route. */
  routes: Record<string, number>;
  /** Sessions per first replica: who was where when it struck. */
  firstReplica: Record<string, number>;
}

export function reconnectFigures(outcomes: SessionOutcome[]): ReconnectFigures {
  const records = outcomes.map((o) => o.record);
  const all = records.flatMap((r) => r.reconnects);
  const back = all.filter((r) => r.ms !== undefined);
  const routes: Record<string, number> = {};
  for (const r of back) {
    const route = `${r.from ?? '?'} → ${r.to ?? '?'}`;
    routes[route] = (routes[route] ?? 0) + 1;
  }
  const firstReplica: Record<string, number> = {};
  for (const r of records) {
    const first = r.replicas[0] ?? 'none';
    firstReplica[first] = (firstReplica[first] ?? 0) + 1;
  }
  return {
    sessionsDropped: records.filter((r) => r.reconnects.length > 0).length,
    drops: all.length,
    reconnected: back.length,
    notBack: all.length - back.length,
    ms: quantiles(back.map((r) => r.ms ?? 0)),
    routes,
    firstReplica,
  };
}

export function describeReconnects(f: ReconnectFigures): string {
  const routes = Object.entries(f.routes).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  const where = Object.entries(f.firstReplica).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `sessions per replica before: ${where}`,
    `sessions dropped: ${f.sessionsDropped} (${f.drops} drops)`,
    `came back: ${f.reconnected}/${f.drops}${f.notBack ? ` (${f.notBack} not back by the end of the run)` : ''}`,
    `routes: ${routes}`,
    f.reconnected ? `time to reconnect: p50 ${f.ms.p50.toFixed(0)} ms, p95 ${f.ms.p95.toFixed(0)} ms, max ${f.ms.max.toFixed(0)} ms` : 'time to reconnect: -',
  ].join('\n');
}
