/**
 * A real socket.io-client session, configured like the app's own frontend (default transports: polling first,
 * then the upgrade). It records a timeline of what the client saw, because the failure modes that matter are
 * silent: a failed upgrade leaves the client on polling and "connected".
 */
import { io, type Socket } from 'socket.io-client';
import type { Target } from '../targets/target';
import { joinUrl } from './engineio';
import type { CookieJar } from './http';
import { agentFor, type NetworkOptions } from './network';

export interface TimelineEntry {
  ms: number;
  event: string;
  detail?: string;
}

export interface SioSession {
  socket: Socket;
  timeline: TimelineEntry[];
  /** Resolves when the namespace connected, or with the error that prevented it. */
  connected: Promise<{ ok: true } | { ok: false; error: string }>;
  transport(): string | undefined;
  pings(): number;
  close(): void;
}

export interface SioOptions extends NetworkOptions {
  transports?: ('polling' | 'websocket')[];
  jar: CookieJar;
  origin: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export function openSioSession(target: Target, hopUrl: string, opts: SioOptions): SioSession {
  const started = Date.now();
  const timeline: TimelineEntry[] = [];
  const note = (event: string, detail?: string) => timeline.push({ ms: Date.now() - started, event, detail });
  const extraHeaders: Record<string, string> = { ...opts.headers, origin: opts.origin };
  extraHeaders[target.originHeader] = opts.origin;
  const cookie = [extraHeaders.cookie, opts.jar.header()].filter(Boolean).join('; ');
  if (cookie) extraHeaders.cookie = cookie;
  // engine.io-client hands `agent` to both its XHR (polling) and ws transports: source address, CA, name mapping
  // and proxy apply to every request of the session. keepAlive off: each polling request is a new connection.
  // (Its typings say string; at run time it is passed through to Node's http/https and ws.)
  const agent = agentFor(hopUrl, opts);
  const socket = io(joinUrl(hopUrl, target.expect.namespace.replace(/^\//, '')), {
    path: target.socketPath,
    transports: opts.transports ?? ['polling', 'websocket'],
    extraHeaders,
    reconnection: false,
    timeout: opts.timeoutMs,
    forceNew: true,
    agent: agent as unknown as string,
    ...(opts.ca ? { ca: opts.ca } : {}),
  });
  let pings = 0;
  // The engine exists only once the manager opens: listen on it from there.
  socket.io.on('open', () => {
    const eng = socket.io.engine;
    note('engine open', eng.transport.name);
    eng.on('upgrade', (t: { name: string }) => note('upgrade', t.name));
    eng.on('upgradeError', (e: Error) => note('upgradeError', e.message));
    eng.on('ping', () => {
      pings++;
    });
    eng.on('close', (reason: string, desc?: unknown) => note('engine close', `${reason}${describeError(desc)}`));
  });
  const connected = new Promise<{ ok: true } | { ok: false; error: string }>((resolve) => {
    // socket.io-client's `timeout` ends with the engine's open: a namespace CONNECT whose answer never comes (polls
    // answered by a cache) would wait for ever. Bounded here, so the caller can ask why.
    const timer = setTimeout(() => {
      note('connect_error', `namespace not connected within ${opts.timeoutMs} ms`);
      resolve({ ok: false, error: `namespace ${target.expect.namespace} not connected within ${opts.timeoutMs} ms` });
    }, opts.timeoutMs);
    socket.on('connect', () => clearTimeout(timer));
    socket.on('connect_error', () => clearTimeout(timer));
    socket.on('connect', () => {
      note('connect', socket.io.engine.transport.name);
      resolve({ ok: true });
    });
    socket.on('connect_error', (e: Error & { description?: unknown; context?: unknown }) => {
      note('connect_error', `${e.message}${describeError(e.description)}`);
      resolve({ ok: false, error: `${e.message}${describeError(e.description)}` });
    });
  });
  socket.on('disconnect', (reason) => note('disconnect', reason));
  return {
    socket,
    timeline,
    connected,
    transport: () => socket.io.engine?.transport?.name,
    pings: () => pings,
    close: () => {
      socket.disconnect();
      socket.io.engine?.close();
    },
  };
}

function describeError(desc: unknown): string {
  if (!desc) return '';
  if (desc instanceof Error) return `: ${desc.message}`;
  if (typeof desc === 'object' && desc && 'message' in desc) return `: ${String((desc as { message: unknown }).message)}`;
  if (typeof desc === 'number' || typeof desc === 'string') return `: ${desc}`;
  return '';
}

export function formatTimeline(timeline: TimelineEntry[]): string {
  return timeline.map((t) => `+${t.ms}ms ${t.event}${t.detail ? ` (${t.detail})` : ''}`).join('\n');
}
