/**
 * The ad-hoc target of `npm run smoke -- --url …`: any Socket.IO 4 app, no file needed. What the flags do not say
 * is not presumed: the protocol values are learned from the first handshake (and then must be the same for every
 * client and hop), and whether the app is Theia (its connection cookie, `/services`, a terminal) is detected from
 * what it serves, unless `--theia` / `--not-theia` says so.
 */
import { TargetError, isHttpUrl } from './load';

export interface AdhocFlags {
  url: string;
  /** Socket.IO path (default `/socket.io/`, an app served at `/`). */
  path?: string;
  /** App page (default: the Socket.IO path's parent). */
  appPath?: string;
  /** Health path; without it the health check does not run (a plain app has none). */
  health?: string;
  pingInterval?: number;
  pingTimeout?: number;
  maxPayload?: number;
  namespace?: string;
  /** The cookie the app hands out and requires (Theia: theia-connection-token). */
  cookie?: string;
  sessionSeconds?: number;
  /** true: Theia; false: any Socket.IO app; undefined: detected from what the app serves. */
  theia?: boolean;
}

/** socket.io 4's own defaults: the placeholders until the first handshake tells the real values. */
export const socketIoDefaults = { pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 };

const withSlash = (p: string) => (p.endsWith('/') ? p : `${p}/`);

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0) throw new TargetError(`--${name} must be a positive whole number, got "${value}"`);
  return value;
}

/** Target data (validated by the caller like any target file). */
export function adhocTargetData(flags: AdhocFlags): Record<string, unknown> {
  if (!isHttpUrl(flags.url)) throw new TargetError(`--url "${flags.url}" is not an http(s) URL`);
  const parsed = new URL(flags.url);
  const socketPath = withSlash(flags.path ?? '/socket.io/');
  if (!socketPath.startsWith('/')) throw new TargetError(`--path "${flags.path}" must start with /`);
  const appPath = withSlash(flags.appPath ?? socketPath.replace(/socket\.io\/$/, ''));
  const given = {
    pingInterval: positive('ping-interval', flags.pingInterval),
    pingTimeout: positive('ping-timeout', flags.pingTimeout),
    maxPayload: positive('max-payload', flags.maxPayload),
  };
  const learn: string[] = (Object.keys(given) as (keyof typeof given)[]).filter((k) => given[k] === undefined);
  // The namespace follows the app (Theia's frontend uses /services, a plain app the root) unless it is given.
  if (!flags.namespace) learn.push('namespace');
  const theia = flags.theia;
  const sessionSeconds = positive('session-seconds', flags.sessionSeconds) ?? 45;
  return {
    name: 'adhoc',
    kind: 'remote',
    description: `ad-hoc target ${parsed.origin}`,
    app: theia === undefined ? 'auto' : theia ? 'theia' : 'socket.io',
    appPath,
    socketPath,
    healthPath: flags.health ?? '/health',
    healthBody: { status: 'healthy' },
    ...(flags.cookie ? { connectionCookie: flags.cookie } : {}),
    expect: {
      eio: 4,
      pingInterval: given.pingInterval ?? socketIoDefaults.pingInterval,
      pingTimeout: given.pingTimeout ?? socketIoDefaults.pingTimeout,
      maxPayload: given.maxPayload ?? socketIoDefaults.maxPayload,
      namespace: flags.namespace ?? (theia ? '/services' : '/'),
    },
    ...(learn.length > 0 ? { learn } : {}),
    sessionLengthMs: sessionSeconds * 1000,
    readOnly: true,
    hops: [{ name: 'lb', url: parsed.origin, health: flags.health !== undefined, browser: true, balanced: true }],
  };
}
