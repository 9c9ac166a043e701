/**
 * The watch's flags on apply-fix: `--watch <duration>` (30s, 10m, 1h), `--watch-interval <duration>` between rounds,
 * `--watch-target <target>` (whose traffic to watch), `--watch-sessions N` (the load probe's size). Bad values are
 * one line and exit 2 before anything is read or written, like every apply-fix flag.
 */
import { PRODUCTION_MAX_SESSIONS } from '../../load/options';
import { Refused } from '../engine/outcome';

export interface WatchOptions {
  durationMs: number;
  intervalMs: number;
  /** The traffic target; undefined: defaultWatchTarget(apply target). */
  target?: string;
  sessions: number;
}

export const WATCH_MAX_MS = 24 * 3_600_000;
export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_SESSIONS = 4;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `10m`, `1h`, `500ms`. A unit is required: a bare `10` could mean seconds or minutes. */
export function parseWatchDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Refused(`${flag} "${text}" is not a duration (e.g. 30s, 10m, 1h)`);
  return Math.round(Number(m[1]) * (UNITS[m[2] as string] as number));
}

export interface WatchFlags {
  watch?: string;
  interval?: string;
  target?: string;
  sessions?: string;
  dryRun: boolean;
}

export function parseWatchFlags(f: WatchFlags): WatchOptions | undefined {
  if (f.watch === undefined) {
    const stray = (['interval', 'target', 'sessions'] as const).find((k) => f[k] !== undefined);
    if (stray) throw new Refused(`--watch-${stray} only applies with --watch <duration>`);
    return undefined;
  }
  if (f.dryRun) throw new Refused('--watch cannot be combined with --dry-run: a dry run applies nothing, so there is nothing to watch or roll back');
  const durationMs = parseWatchDuration(f.watch, '--watch');
  if (durationMs < 1000 || durationMs > WATCH_MAX_MS) throw new Refused(`--watch must be between 1s and 24h, got "${f.watch}"`);
  const intervalMs = f.interval === undefined ? DEFAULT_INTERVAL_MS : parseWatchDuration(f.interval, '--watch-interval');
  const sessions = f.sessions === undefined ? DEFAULT_SESSIONS : Number(f.sessions);
  if (!/^\d+$/.test(f.sessions ?? '1') || sessions < 1 || sessions > PRODUCTION_MAX_SESSIONS) {
    throw new Refused(`--watch-sessions must be a whole number from 1 to ${PRODUCTION_MAX_SESSIONS} (the read-only load cap), got "${f.sessions}"`);
  }
  return { durationMs, intervalMs, target: f.target, sessions };
}
