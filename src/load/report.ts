/**
 * A load run written out: the summary table (terminal), the JSON, an OpenMetrics text file (for a Prometheus
 * textfile collector or a Pushgateway) and the progress line. Pictures are in src/load/charts.ts.
 */
import type { Verdict } from '../verdict';
import type { LiveCounters } from './session';
import { cumulativeBuckets } from './stats';
import type { LoadSummary } from './summary';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const msq = (q: { p50: number; p95: number; p99: number }) => `p50 ${q.p50.toFixed(1)} / p95 ${q.p95.toFixed(1)} / p99 ${q.p99.toFixed(1)} ms`;

export function progressLine(live: LiveCounters, elapsedMs: number, total: number): string {
  return `t=${(elapsedMs / 1000).toFixed(0).padStart(3)}s started ${live.started}/${total} connected ${live.connected} active ${live.active} (peak ${live.peakActive}) on-websocket ${live.onWebsocket} failed ${live.failed} echoes ${live.echoes}`;
}

export function summaryTable(s: LoadSummary, verdicts: Verdict[]): string {
  const rows: [string, string][] = [
    ['target / hop / transport', `${s.target} / ${s.hop} / ${s.transport}`],
    ['sessions, duration, ramp', `${s.sessions}, ${s.durationMs / 1000} s, ${s.rampMs / 1000} s`],
    ['connection success', `${s.connected}/${s.sessions} (${pct(s.connectionSuccessRate)})`],
    ['upgrade success', `${s.onWebsocket}/${s.connected} on websocket (${pct(s.upgradeSuccessRate)})`],
    ['peak concurrent', `${s.peakConcurrent}/${s.sessions}${s.peakConcurrent < s.connected ? ' (not all at once: the first ended before the last connected — lengthen --duration)' : ''}`],
    ['time to open all', `${(s.allOpenMs / 1000).toFixed(1)} s (${s.sessionsPerSecond.toFixed(0)} sessions/s)`],
    ['connect', msq(s.connectMs)],
    ['echo latency', `${msq(s.latencyMs)} (${s.latencyMs.count} echoes)`],
    ['session duration', `avg ${(s.sessionDurationMs.mean / 1000).toFixed(1)} s, p50 ${(s.sessionDurationMs.p50 / 1000).toFixed(1)} s`],
    ['per replica', Object.entries(s.replicas).map(([r, n]) => `${r} ${n}`).join(', ') || '-'],
    ['stayed on one replica', `${s.onOneReplica}/${s.replicaKnown} that learned their replica (${pct(s.onOneReplicaRate)})`],
    ['failed sessions', String(s.failedSessions)],
    ...Object.entries(s.errorsByCode).map(([code, n]): [string, string] => [`  by code: ${code}`, String(n)]),
    ...Object.entries(s.errorsByCause).map(([cause, n]): [string, string] => [`  by cause: ${cause}`, String(n)]),
    ['health probes', `${s.health.samples}, ${s.health.failures} failed, ${s.health.maxConsecutiveFailures} in a row at most`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push('', ...verdicts.map((v) => `${v.ok ? 'PASS' : 'FAIL'}  ${v.check.padEnd(25)} ${v.ok ? v.observed : `${v.cause}: ${v.observed}`}`));
  return lines.join('\n');
}

export function summaryJson(s: LoadSummary, verdicts: Verdict[]): string {
  return `${JSON.stringify({ summary: s, verdicts: verdicts.map(({ evidence: _e, ...v }) => v) }, null, 2)}\n`;
}

/** Label values escaped as OpenMetrics requires. */
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function openMetrics(s: LoadSummary, verdicts: Verdict[], latencies: number[]): string {
  const base = `target="${esc(s.target)}",hop="${esc(s.hop)}",transport="${esc(s.transport)}"`;
  const out: string[] = [];
  const gauge = (name: string, help: string, samples: [string, number][], unit?: string) => {
    out.push(`# TYPE ${name} gauge`);
    if (unit) out.push(`# UNIT ${name} ${unit}`);
    out.push(`# HELP ${name} ${help}`);
    for (const [labels, value] of samples) out.push(`${name}{${[base, labels].filter(Boolean).join(',')}} ${value}`);
  };
  gauge('socketproof_load_sessions', 'Sessions started by the load run.', [['', s.sessions]]);
  gauge('socketproof_load_sessions_connected', 'Sessions whose namespace connected.', [['', s.connected]]);
  gauge('socketproof_load_peak_concurrent_sessions', 'The most sessions connected at once.', [['', s.peakConcurrent]]);
  gauge('socketproof_load_connection_success_ratio', 'Connected sessions / sessions.', [['', s.connectionSuccessRate]], 'ratio');
  gauge('socketproof_load_upgrade_success_ratio', 'Connected sessions that ended on websocket / connected sessions.', [['', s.upgradeSuccessRate]], 'ratio');
  gauge('socketproof_load_session_duration_seconds', 'Average time a session stayed connected.', [['', s.sessionDurationMs.mean / 1000]], 'seconds');
  gauge('socketproof_load_replica_sessions', 'Sessions per replica (the replica that answered first).', Object.entries(s.replicas).map(([r, n]) => [`replica="${esc(r)}"`, n]));
  gauge('socketproof_load_one_replica_ratio', 'Connected sessions answered by one replica only / connected sessions.', [['', s.onOneReplicaRate]], 'ratio');
  gauge('socketproof_load_http_400_ratio', 'Sessions that met an HTTP 400 / sessions.', [['', s.http400Rate]], 'ratio');
  gauge('socketproof_load_websocket_failures_per_minute_max', 'Most WebSocket failures in any 60 s window.', [['', s.websocketFailuresPerMinuteMax]]);
  gauge(
    'socketproof_load_failed_sessions',
    'Failed sessions by phase, error code and diagnosed cause (each session counted once, at its first failure).',
    s.kinds.map((k) => [`phase="${k.phase}",code="${k.eioCode ?? ''}",status="${k.status ?? ''}",cause="${k.cause}"`, k.sessions]),
  );
  gauge('socketproof_load_alert_firing', 'The seed alert rules and the load verdicts: 1 = firing (red).', verdicts.map((v) => [`rule="${v.check}"`, v.ok ? 0 : 1]));
  const name = 'socketproof_load_echo_latency_seconds';
  out.push(`# TYPE ${name} histogram`, `# UNIT ${name} seconds`, `# HELP ${name} Echo round trip (initialConnection) through the hop.`);
  for (const b of cumulativeBuckets(latencies)) {
    out.push(`${name}_bucket{${base},le="${Number.isFinite(b.le) ? String(b.le / 1000) : '+Inf'}"} ${b.count}`);
  }
  out.push(`${name}_count{${base}} ${latencies.length}`, `${name}_sum{${base}} ${latencies.reduce((a, b) => a + b, 0) / 1000}`);
  out.push('# EOF', '');
  return out.join('\n');
}
