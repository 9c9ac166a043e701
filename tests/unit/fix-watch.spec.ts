/**
 * apply-fix --watch, its pure parts: the rule book (rounds in → decision out), the settle rule, the flags and the
 * status lines. The integration (a real apply, traffic following the live objects, faults, a kill) is
 * tests/cluster/watch.spec.ts.
 */
import { expect, test } from '@playwright/test';
import { parseApplyArgs } from '../../src/fixes/engine/options';
import { Refused } from '../../src/fixes/engine/outcome';
import { decide, settleDecision, type WatchRound, watchDone, windowFigures } from '../../src/fixes/watch/decide';
import { parseWatchDuration } from '../../src/fixes/watch/options';
import { ruleLine } from '../../src/fixes/watch/text';

let clock = 0;
/** A round ending `every` ms after the last: healthy unless told otherwise. */
function round(n: number, o: { fail?: string; cause?: string; sessions?: number; r400?: number; ws?: number; every?: number } = {}): WatchRound {
  clock += o.every ?? 10_000;
  return {
    n,
    endedAtMs: clock,
    failures: o.fail ? [{ check: o.fail, cause: (o.cause ?? 'connection-lifetime-cut') as never, observed: 'x' }] : [],
    load: {
      sessions: o.sessions ?? 4,
      http400Sessions: o.r400 ?? 0,
      websocketFailures: o.ws ?? 0,
      cause400: o.r400 ? 'session-affinity' : undefined,
      causeWebsocket: o.ws ? 'connection-lifetime-cut' : undefined,
    },
  };
}

test.beforeEach(() => {
  clock = 0;
});

test.describe('watch rule book', () => {
  test('healthy rounds continue', () => {
    const d = decide([round(1), round(2), round(3)]);
    expect(d).toMatchObject({ action: 'continue', failuresInARow: 0, window: { rounds: 3, sessions: 12, http400Rate: 0 } });
  });

  test('one failed round does not roll back; two in a row do, naming the last cause', () => {
    expect(decide([round(1), round(2, { fail: 'connection-lifetime' })])).toMatchObject({ action: 'continue', failuresInARow: 1 });
    const d = decide([round(1), round(2, { fail: 'connection-lifetime' }), round(3, { fail: 'connection-lifetime' })]);
    expect(d).toMatchObject({ action: 'rollback', rule: 'consecutive-failures', cause: 'connection-lifetime-cut', failuresInARow: 2 });
    if (d.action === 'rollback') expect(d.evidence).toBe('2 consecutive rounds failed (round 2: connection-lifetime → connection-lifetime-cut; round 3: connection-lifetime → connection-lifetime-cut)');
  });

  test('a transient failure between healthy rounds resets the count', () => {
    const rounds = [round(1), round(2, { fail: 'health', cause: 'health-endpoint-down' }), round(3), round(4, { fail: 'health', cause: 'health-endpoint-down' })];
    expect(decide(rounds)).toMatchObject({ action: 'continue', failuresInARow: 1 });
  });

  test('the 400 alert fires over the last minute at above 1 %, at once', () => {
    // 1 session in 100 met a 400: exactly 1 %, not above: continue. One more: above.
    const quiet = [round(1, { sessions: 50, every: 1000 }), round(2, { sessions: 49, every: 1000 }), round(3, { sessions: 1, r400: 1, every: 1000 })];
    expect(decide(quiet)).toMatchObject({ action: 'continue', window: { sessions: 100, http400Sessions: 1, http400Rate: 0.01 } });
    const d = decide([...quiet, round(4, { sessions: 1, r400: 1, every: 1000 })]);
    expect(d).toMatchObject({ action: 'rollback', rule: 'alert-400-rate', cause: 'session-affinity', failuresInARow: 0 });
  });

  test('rounds older than 60 s leave the alert window', () => {
    const old = round(1, { r400: 4 });
    clock += 61_000;
    const rounds = [old, round(2, { sessions: 4, every: 0 })];
    expect(windowFigures(rounds)).toMatchObject({ rounds: 1, sessions: 4, http400Sessions: 0 });
    expect(decide(rounds).action).toBe('continue');
  });

  test('more than 5 WebSocket failures a minute fire; 5 do not', () => {
    expect(decide([round(1, { ws: 3, every: 20_000 }), round(2, { ws: 2, every: 20_000 })]).action).toBe('continue');
    const d = decide([round(1, { ws: 3, every: 20_000 }), round(2, { ws: 3, every: 20_000 })]);
    expect(d).toMatchObject({ action: 'rollback', rule: 'alert-websocket-failures', cause: 'connection-lifetime-cut' });
  });

  test('an alert is named before the consecutive rule when both hold', () => {
    const d = decide([round(1, { fail: 'handshake', cause: 'session-affinity', r400: 4 }), round(2, { fail: 'handshake', cause: 'session-affinity', r400: 4 })]);
    expect(d).toMatchObject({ action: 'rollback', rule: 'alert-400-rate' });
    if (d.action === 'rollback') expect(ruleLine(d)).toMatch(/^rule fired: alert: 400 error rate above 1 % \[alert-400-rate\], cause session-affinity: 8\/8 probe sessions met an HTTP 400/);
  });

  test('settling: waits for the first healthy round, rolls back when none comes in time', () => {
    expect(settleDecision(round(1), 100, 60_000)).toBe('settled');
    expect(settleDecision(round(1, { fail: 'handshake', cause: 'session-affinity' }), 100, 60_000)).toBe('wait');
    expect(settleDecision(round(1, { r400: 1 }), 100, 60_000)).toBe('wait');
    const d = settleDecision(round(7, { fail: 'handshake', cause: 'session-affinity' }), 61_000, 60_000);
    expect(d).toMatchObject({ action: 'rollback', rule: 'never-healthy', cause: 'session-affinity' });
  });
});

test.describe('when the watch ends', () => {
  test('after its duration, at least 2 rounds, never on a failed round', () => {
    const ok1 = round(1);
    const ok2 = round(2);
    const bad2 = round(2, { fail: 'health', cause: 'health-endpoint-down' });
    expect(watchDone([ok1], 60_000, 10_000), 'one round cannot apply the 2-consecutive rule').toBe(false);
    expect(watchDone([ok1, ok2], 5_000, 10_000), 'the duration has not passed').toBe(false);
    expect(watchDone([ok1, ok2], 10_000, 10_000)).toBe(true);
    expect(watchDone([ok1, bad2], 60_000, 10_000), 'the last failure is judged by one more round').toBe(false);
    expect(watchDone([ok1, bad2, round(3)], 60_000, 10_000)).toBe(true);
  });
});

test.describe('watch flags', () => {
  const base = ['backendconfig-timeout'];
  test('durations with a unit', () => {
    expect(parseWatchDuration('30s', '--watch')).toBe(30_000);
    expect(parseWatchDuration('10m', '--watch')).toBe(600_000);
    expect(parseWatchDuration('1h', '--watch')).toBe(3_600_000);
    expect(parseWatchDuration('1.5s', '--watch')).toBe(1500);
    const o = parseApplyArgs([...base, '--watch', '10m']);
    expect(o).toMatchObject({ watch: { durationMs: 600_000, intervalMs: 30_000, sessions: 4 } });
    expect(parseApplyArgs([...base, '--watch', '20s', '--watch-interval', '2s', '--watch-sessions', '2', '--watch-target', 'production'])).toMatchObject({
      watch: { durationMs: 20_000, intervalMs: 2000, sessions: 2, target: 'production' },
    });
    expect(parseApplyArgs(base)).toMatchObject({ watch: undefined });
  });

  const refused: [string[], RegExp][] = [
    [['--watch', '10'], /^--watch "10" is not a duration \(e\.g\. 30s, 10m, 1h\)$/],
    [['--watch', 'ten minutes'], /is not a duration/],
    [['--watch', '-5m'], /needs a value|is not a duration|unknown option/],
    [['--watch', '0s'], /^--watch must be between 1s and 24h/],
    [['--watch', '25h'], /^--watch must be between 1s and 24h/],
    [['--watch'], /^--watch needs a value/],
    [['--watch', '5m', '--dry-run'], /^--watch cannot be combined with --dry-run/],
    [['--watch-interval', '5s'], /^--watch-interval only applies with --watch/],
    [['--watch', '5m', '--watch-interval', 'often'], /^--watch-interval "often" is not a duration/],
    [['--watch', '5m', '--watch-sessions', '0'], /^--watch-sessions must be a whole number from 1 to 50/],
    [['--watch', '5m', '--watch-sessions', '51'], /^--watch-sessions must be a whole number from 1 to 50/],
  ];
  for (const [args, message] of refused) {
    test(`refused: ${args.join(' ')}`, () => {
      let error: unknown;
      try {
        parseApplyArgs([...base, ...args]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Refused);
      expect((error as Error).message).toMatch(message);
    });
  }
});
