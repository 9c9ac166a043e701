/**
 * The options of `npm run load`, checked before anything starts: bad input is one line and exit 2, nothing started.
 * Every run is bounded in sessions and time. A remote target never gets a default load (`--sessions` must be
 * given), and a read-only target (production) only with `--confirm-load <its name>` and at most
 * PRODUCTION_MAX_SESSIONS sessions for at most PRODUCTION_MAX_DURATION_MS.
 */
import type { Target } from '../targets/target';
import type { LoadTransport } from './session';

export const MAX_SESSIONS = 5000;
export const MAX_DURATION_MS = 10 * 60_000;
export const PRODUCTION_MAX_SESSIONS = 50;
export const PRODUCTION_MAX_DURATION_MS = 60_000;

export interface LoadOptions {
  target: string;
  sessions: number;
  sessionsGiven: boolean;
  durationMs: number;
  rampMs: number;
  transport: LoadTransport;
  echoEveryMs: number;
  hop?: string;
  fault?: string;
  out: string;
  confirm?: string;
  nginxWorkers?: number;
  /**
   * The embedded app pings with Theia's own timers (30000/60000), unless --target-timers keeps the target's scaled
   * ones (local: 500 ms, 1/60 of Theia's, so that lifetime checks take seconds): at 2000 sessions those are 4000
   * pings a second, 60× what a production Theia sees, and the load would measure the test's heartbeat, not the app.
   */
  theiaTimers: boolean;
}

export class LoadOptionError extends Error {}

/** `60s`, `2m`, `500ms`, or a bare number of seconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new LoadOptionError(`${what} "${text}" is not a duration (e.g. 60s, 2m, 500ms)`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

function positiveInt(text: string | undefined, what: string): number {
  if (!text || !/^\d+$/.test(text) || Number(text) < 1) throw new LoadOptionError(`${what} "${text ?? ''}" is not a positive whole number`);
  return Number(text);
}

export function parseLoadArgs(argv: string[]): LoadOptions {
  const args = [...argv];
  const values: Record<string, string> = {};
  const known = ['--sessions', '--duration', '--ramp', '--transport', '--hop', '--fault', '--out', '--confirm-load', '--echo-every', '--nginx-workers'];
  const positional: string[] = [];
  const switches = new Set<string>();
  while (args.length > 0) {
    const a = args.shift() as string;
    if (a === '--target-timers') {
      switches.add(a);
      continue;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!known.includes(name)) throw new LoadOptionError(`unknown option ${name} (known: ${known.join(', ')}, --target-timers)`);
    const value = inline ?? args.shift();
    if (value === undefined || value.startsWith('--')) throw new LoadOptionError(`${name} needs a value`);
    values[name] = value;
  }
  if (positional.length > 1) throw new LoadOptionError(`one target only, got ${positional.join(' ')}`);
  const sessions = values['--sessions'] === undefined ? 100 : positiveInt(values['--sessions'], '--sessions');
  if (sessions > MAX_SESSIONS) throw new LoadOptionError(`--sessions ${sessions} is above the bound of ${MAX_SESSIONS}`);
  const durationMs = parseDuration(values['--duration'] ?? '60s', '--duration');
  if (durationMs < 1000 || durationMs > MAX_DURATION_MS) throw new LoadOptionError(`--duration must be between 1s and ${MAX_DURATION_MS / 60_000}m`);
  const rampMs = values['--ramp'] === undefined ? Math.min(10_000, Math.floor(durationMs / 2)) : parseDuration(values['--ramp'], '--ramp');
  if (rampMs >= durationMs) throw new LoadOptionError(`--ramp (${rampMs} ms) must be shorter than --duration (${durationMs} ms)`);
  const transport = values['--transport'] ?? 'auto';
  if (transport !== 'auto' && transport !== 'websocket') throw new LoadOptionError(`--transport "${transport}" must be auto or websocket`);
  const echoEveryMs = parseDuration(values['--echo-every'] ?? '1s', '--echo-every');
  if (echoEveryMs < 100) throw new LoadOptionError('--echo-every must be at least 100ms');
  return {
    target: positional[0] ?? 'local',
    sessions,
    sessionsGiven: values['--sessions'] !== undefined,
    durationMs,
    rampMs,
    transport,
    echoEveryMs,
    hop: values['--hop'],
    fault: values['--fault'],
    out: values['--out'] ?? 'reports/load',
    confirm: values['--confirm-load'],
    nginxWorkers: values['--nginx-workers'] === undefined ? undefined : positiveInt(values['--nginx-workers'], '--nginx-workers'),
    theiaTimers: !switches.has('--target-timers'),
  };
}

/** What the target allows: the guard for remote and read-only (production) targets. Throws one line. */
export function checkAgainstTarget(o: LoadOptions, target: Target): void {
  if (target.kind === 'remote') {
    if (o.fault) throw new LoadOptionError(`target ${target.name} is remote: faults are only injected into the embedded target`);
    if (o.nginxWorkers) throw new LoadOptionError(`target ${target.name} is remote: --nginx-workers sizes the embedded topology only`);
    if (!o.sessionsGiven) throw new LoadOptionError(`target ${target.name} is remote: give --sessions explicitly (no default load on a remote target)`);
  }
  if (target.readOnly) {
    if (o.confirm !== target.name) {
      throw new LoadOptionError(`target ${target.name} is read-only (production): a load needs --confirm-load ${target.name}`);
    }
    if (o.sessions > PRODUCTION_MAX_SESSIONS) {
      throw new LoadOptionError(`target ${target.name} is read-only (production): --sessions is capped at ${PRODUCTION_MAX_SESSIONS}`);
    }
    if (o.durationMs > PRODUCTION_MAX_DURATION_MS) {
      throw new LoadOptionError(`target ${target.name} is read-only (production): --duration is capped at ${PRODUCTION_MAX_DURATION_MS / 1000}s`);
    }
  }
  if (o.hop && !target.hops.some((h) => h.name === o.hop)) {
    throw new LoadOptionError(`target ${target.name} has no hop "${o.hop}" (hops: ${target.hops.map((h) => h.name).join(', ')})`);
  }
}
