/**
 * The load command's pure parts: options and their guards (bad input is one line, production needs a confirmation
 * and stays under its cap), the host-limit check, the figures (windows, runs, percentiles) and the OpenMetrics text.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { hostLimitProblem, nginxCapacity } from '../../src/load/capacity';
import { checkAgainstTarget, LoadOptionError, parseDuration, parseLoadArgs, PRODUCTION_MAX_SESSIONS } from '../../src/load/options';
import { openMetrics } from '../../src/load/report';
import { cumulativeBuckets, longestRun, maxInWindow, quantiles } from '../../src/load/stats';
import type { LoadSummary } from '../../src/load/summary';
import { loadVerdicts } from '../../src/load/verdicts';
import { loadTarget } from '../../src/targets/load';

test.describe('load options', () => {
  test('durations, defaults and bounds', () => {
    expect(parseDuration('60s', 'x')).toBe(60_000);
    expect(parseDuration('2m', 'x')).toBe(120_000);
    expect(parseDuration('500ms', 'x')).toBe(500);
    const o = parseLoadArgs(['local', '--sessions', '20', '--duration=10s', '--transport', 'websocket']);
    expect(o).toMatchObject({ target: 'local', sessions: 20, sessionsGiven: true, durationMs: 10_000, rampMs: 5000, transport: 'websocket', theiaTimers: true });
    expect(parseLoadArgs(['--target-timers']).theiaTimers).toBe(false);
    for (const bad of [['--sessions', '0'], ['--sessions', '99999'], ['--duration', 'soon'], ['--ramp', '60s'], ['--transport', 'carrier-pigeon'], ['--nope', '1'], ['--sessions']]) {
      expect(() => parseLoadArgs(bad), bad.join(' ')).toThrow(LoadOptionError);
    }
  });

  test('a remote target never gets a default load; production needs --confirm-load and stays under the cap', () => {
    const production = loadTarget('production');
    expect(() => checkAgainstTarget(parseLoadArgs(['production']), production)).toThrow(/give --sessions explicitly/);
    expect(() => checkAgainstTarget(parseLoadArgs(['production', '--sessions', '10']), production)).toThrow(/--confirm-load production/);
    expect(() => checkAgainstTarget(parseLoadArgs(['production', '--sessions', '10', '--confirm-load', 'local']), production)).toThrow(/--confirm-load production/);
    expect(() =>
      checkAgainstTarget(parseLoadArgs(['production', '--sessions', String(PRODUCTION_MAX_SESSIONS + 1), '--confirm-load', 'production']), production),
    ).toThrow(/capped/);
    expect(() => checkAgainstTarget(parseLoadArgs(['production', '--sessions', '10', '--fault', 'no-affinity', '--confirm-load', 'production']), production)).toThrow(/remote/);
    expect(() => checkAgainstTarget(parseLoadArgs(['production', '--sessions', '10', '--duration', '30s', '--confirm-load', 'production']), production)).not.toThrow();
    expect(() => checkAgainstTarget(parseLoadArgs(['local', '--hop', 'nowhere']), loadTarget('local'))).toThrow(/no hop "nowhere"/);
  });

  test('nginx is sized for the sessions, and a host with too few files or ports is refused in one line', () => {
    expect(nginxCapacity(100)).toEqual({ workers: 1, connections: 712 });
    expect(nginxCapacity(2000, 2)).toEqual({ workers: 2, connections: 4512 });
    expect(hostLimitProblem(2000, { files: 20_000, ports: 28_232 })).toBeUndefined();
    expect(hostLimitProblem(2000, { files: 1024, ports: 28_232 })).toBe(
      "2000 sessions need 4768 open files per nginx worker (2 per session + margin), the host's hard limit is 1024 (ulimit -Hn): lower --sessions to 128 or raise the limit",
    );
    expect(hostLimitProblem(128, { files: 1024, ports: 28_232 })).toBeUndefined();
    expect(hostLimitProblem(2000, { files: 20_000, ports: 1000 })).toMatch(/ip_local_port_range/);
  });

  test('bad input: one line on stderr, exit 2, nothing started', async () => {
    const run = promisify(execFile);
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/load.ts', 'production', '--sessions', '5']).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr.trim().split('\n')).toEqual([
      'socketproof load: target production is read-only (production): a load needs --confirm-load production',
    ]);
  });
});

test.describe('load figures', () => {
  test('windows, runs, percentiles and buckets', () => {
    expect(maxInWindow([0, 10_000, 59_000, 61_000, 62_000, 200_000], 60_000)).toBe(4);
    expect(maxInWindow([], 60_000)).toBe(0);
    expect(longestRun([true, false, true, true, false])).toBe(2);
    const q = quantiles(Array.from({ length: 100 }, (_, i) => i + 1));
    expect([q.p50, q.p95, q.p99, q.max]).toEqual([50, 95, 99, 100]);
    const b = cumulativeBuckets([0.5, 3, 3, 7000]);
    expect(b.at(0)).toEqual({ le: 1, count: 1 });
    expect(b.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 4 });
  });

  const summary = (over: Partial<LoadSummary> = {}): LoadSummary => {
    const q = { count: 3, p50: 2, p95: 3, p99: 3, max: 3, mean: 2 };
    return {
      target: 'local', hop: 'lb', transport: 'auto', startedAt: '', sessions: 100, durationMs: 10_000, rampMs: 1000, wallMs: 10_000,
      allOpenMs: 2000, sessionsPerSecond: 50, connected: 100, peakConcurrent: 100, connectionSuccessRate: 1, onWebsocket: 100,
      upgradeSuccessRate: 1, droppedBeforeUpgrade: 0, upgradeMs: q, connectMs: q, sessionDurationMs: q, replicas: { 'pod-0': 50, 'pod-1': 50 },
      replicaKnown: 100, onOneReplica: 100, onOneReplicaRate: 1, latencyMs: q, errorsByCode: {}, errorsByCause: {}, failedSessions: 0,
      kinds: [], http400Sessions: 0, http400Rate: 0, websocketFailures: 0, websocketFailuresPerMinuteMax: 0,
      health: { samples: 5, failures: 0, maxConsecutiveFailures: 0, causes: [] },
      ...over,
    };
  };

  test('the seed alert rules: 1 % of 400s is fine, 2 % fires; 5 WebSocket failures a minute is fine, 6 fires; 2 health failures in a row fire', () => {
    const red = (s: LoadSummary) => loadVerdicts(s).filter((v) => !v.ok).map((v) => v.check);
    expect(red(summary())).toEqual([]);
    expect(red(summary({ http400Sessions: 1, http400Rate: 0.01 }))).toEqual([]);
    expect(red(summary({ http400Sessions: 2, http400Rate: 0.02 }))).toEqual(['alert-400-rate']);
    expect(red(summary({ websocketFailures: 5, websocketFailuresPerMinuteMax: 5 }))).toEqual([]);
    expect(red(summary({ websocketFailures: 6, websocketFailuresPerMinuteMax: 6 }))).toEqual(['alert-websocket-failures']);
    expect(red(summary({ health: { samples: 5, failures: 2, maxConsecutiveFailures: 1, causes: ['health-endpoint-down'] } }))).toEqual([]);
    const health = loadVerdicts(summary({ health: { samples: 5, failures: 2, maxConsecutiveFailures: 2, causes: ['health-endpoint-down'] } }));
    expect(health.filter((v) => !v.ok).map((v) => `${v.check}:${v.cause}`)).toEqual(['alert-health:health-endpoint-down']);
    // Nothing connected: no verdict about upgrades, replicas or drops may pass on 0/0.
    expect(red(summary({ connected: 0, onWebsocket: 0, replicaKnown: 0, onOneReplica: 0 }))).toEqual([
      'load-connections', 'load-upgrade', 'load-affinity', 'load-session-drops',
    ]);
  });

  test('OpenMetrics text: typed families, a cumulative histogram, # EOF last', () => {
    const text = openMetrics(summary(), loadVerdicts(summary()), [0.5, 3, 3, 7000]);
    const lines = text.trim().split('\n');
    expect(lines.at(-1)).toBe('# EOF');
    expect(text).toContain('# TYPE socketproof_load_echo_latency_seconds histogram');
    expect(text).toContain('socketproof_load_echo_latency_seconds_bucket{target="local",hop="lb",transport="auto",le="+Inf"} 4');
    expect(text).toContain('socketproof_load_alert_firing{target="local",hop="lb",transport="auto",rule="alert-400-rate"} 0');
    const counts = lines.filter((l) => l.includes('_bucket{')).map((l) => Number(l.split(' ').at(-1)));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });
});
