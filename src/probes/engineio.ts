/**
 * A raw Engine.IO v4 driver over HTTP long-polling, so a check can assert the exact frames and status codes the
 * way socket.io's own tests do (eioHandshake / eioPoll / eioPush), instead of trusting a client library that
 * retries and hides the first error.
 */
import type { Target } from '../targets/target';
import { type Exchange, HttpClient, type HttpClientOptions } from './http';

export const packetSeparator = '\x1e';

export interface OpenPacket {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

export type HandshakeResult = { ok: true; open: OpenPacket; exchange: Exchange } | { ok: false; exchange: Exchange };

export function decodePayload(body: string): string[] {
  return body.length === 0 ? [] : body.split(packetSeparator);
}

export function parseOpenPacket(body: string): OpenPacket | undefined {
  const first = decodePayload(body)[0] ?? '';
  if (!first.startsWith('0{')) return undefined;
  try {
    const json = JSON.parse(first.slice(1)) as Partial<OpenPacket>;
    if (typeof json.sid !== 'string') return undefined;
    return {
      sid: json.sid,
      upgrades: Array.isArray(json.upgrades) ? json.upgrades : [],
      pingInterval: Number(json.pingInterval),
      pingTimeout: Number(json.pingTimeout),
      maxPayload: Number(json.maxPayload),
    };
  } catch {
    return undefined;
  }
}

/** Joins a base URL and a path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return new URL(path, base.endsWith('/') ? base : `${base}/`).toString();
}

/** One Engine.IO client session against one hop: its own cookie jar, its own source address. */
export class EngineIoProbe {
  readonly http: HttpClient;
  sid?: string;

  constructor(
    readonly target: Target,
    readonly hopUrl: string,
    options: HttpClientOptions = {},
  ) {
    this.http = new HttpClient({ replicaHeader: target.replicaHeader, ...options });
  }

  get origin(): string {
    return new URL(this.hopUrl).origin;
  }

  /** The first GET a browser makes: the app page, which hands out the app's connection cookie. */
  fetchAppPage(): Promise<Exchange> {
    return this.http.request('GET', joinUrl(this.hopUrl, this.target.appPath));
  }

  engineUrl(query: Record<string, string>): string {
    const url = new URL(joinUrl(this.hopUrl, this.target.socketPath));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Headers the app's own frontend sends on polling requests (Theia: its origin in `fix-origin`). */
  frontendHeaders(withOrigin: boolean): Record<string, string> {
    return withOrigin ? { [this.target.originHeader]: this.origin } : {};
  }

  async handshake(opts: { withOrigin?: boolean } = {}): Promise<HandshakeResult> {
    const exchange = await this.http.request(
      'GET',
      this.engineUrl({ EIO: String(this.target.expect.eio), transport: 'polling' }),
      { headers: this.frontendHeaders(opts.withOrigin ?? true) },
    );
    const open = exchange.status === 200 ? parseOpenPacket(exchange.body) : undefined;
    if (!open) return { ok: false, exchange };
    this.sid = open.sid;
    return { ok: true, open, exchange };
  }

  post(payload: string): Promise<Exchange> {
    return this.http.request('POST', this.sessionUrl(), { body: payload, headers: this.frontendHeaders(true) });
  }

  poll(timeoutMs?: number): Promise<Exchange> {
    return this.http.request('GET', this.sessionUrl(), { headers: this.frontendHeaders(true), timeoutMs });
  }

  private sessionUrl(): string {
    if (!this.sid) throw new Error('no Engine.IO session: handshake first');
    return this.engineUrl({ EIO: String(this.target.expect.eio), transport: 'polling', sid: this.sid });
  }
}

/** `40/services,` — a namespace CONNECT; the root namespace has no name part. */
export function namespaceConnectPacket(namespace: string): string {
  return namespace === '/' ? '40' : `40${namespace},`;
}
