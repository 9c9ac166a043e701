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
  connected: Promise<SioConnected>;
  transport(): string | undefined;
  pings(): number;
  close(): void;
}

/**
 * A failed connect keeps the HTTP answer when the polling transport saw one (`status`, `body`: where the Engine.IO
 * error code is); a refused WebSocket handshake gives only its status (Node's ws keeps no body).
 */
export type SioConnected = { ok: true } | { ok: false; error: string; status?: number; body?: string };

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
  const connected = new Promise<SioConnected>((resolve) => {
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
      resolve({ ok: false, error: `${e.message}${describeError(e.description)}`, ...httpAnswer(e) });
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

/** The HTTP status and body behind a transport error: the polling XHR's, or the status in ws's message. */
export function httpAnswer(e: { description?: unknown; context?: unknown; message?: string }): { status?: number; body?: string } {
  const ctx = e.context as { status?: unknown; responseText?: unknown } | undefined;
  if (ctx && typeof ctx.status === 'number' && ctx.status > 0) {
    return { status: ctx.status, body: typeof ctx.responseText === 'string' ? ctx.responseText : undefined };
  }
  const text = `${e.message ?? ''} ${describeError(e.description)}`;
  const m = /Unexpected server response: (\d{3})/.exec(text);
  if (m) return { status: Number(m[1]) };
  if (typeof e.description === 'number' && e.description >= 100) return { status: e.description };
  return {};
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
