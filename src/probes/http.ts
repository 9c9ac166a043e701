/**
 * A small HTTP client for probes: one new connection per request (so a load balancer that balances per TCP
 * connection really gets to choose), an optional source address (client-IP affinity on loopback needs distinct
 * addresses), a cookie jar, and a record of every exchange for the report (secrets redacted there, not here).
 */
import http from 'node:http';
import https from 'node:https';
import type { CauseId } from '../causes/catalogue';
import { redactHeaders } from '../secrets/redact';
import { explainNodeError } from '../tls/explain';
import { agentFor, type ProxySettings } from './network';

/** Every probe request gives up after this; the checks' time budgets (src/checks/budget.ts) count with it. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseHeaders: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
  /** When `error` is a TLS failure: its cause (the same one the browser's failure maps to). */
  tlsCause?: CauseId;
  /** The replica that answered, when the target exposes one in a header. */
  replica?: string;
  ms: number;
}

export interface HttpClientOptions {
  localAddress?: string;
  timeoutMs?: number;
  /** Response header naming the replica (e.g. X-Socketproof-Pod); read for diagnosis only. */
  replicaHeader?: string;
  /** Headers sent on every request (e.g. an identity-aware proxy's bearer token). */
  headers?: Record<string, string>;
  /** Extra TLS trust (a CA the suite generated), never a disabled verification. */
  ca?: string;
  /** hostname → address (a real hostname mapped to loopback). */
  resolve?: Record<string, string>;
  /** Forward proxy (from HTTPS_PROXY/NO_PROXY). */
  proxy?: ProxySettings;
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  absorb(setCookie: string[] | string | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export class HttpClient {
  readonly jar = new CookieJar();
  readonly exchanges: Exchange[] = [];

  constructor(readonly options: HttpClientOptions = {}) {}

  async request(
    method: string,
    url: string,
    opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
  ): Promise<Exchange> {
    const headers: Record<string, string> = { ...this.options.headers, ...opts.headers };
    // Cookies the environment supplies (an SSO session) travel with the app's own, never instead of them.
    const cookie = [headers.cookie, this.jar.header()].filter(Boolean).join('; ');
    if (cookie) headers.cookie = cookie;
    if (opts.body !== undefined) headers['content-type'] ??= 'text/plain;charset=UTF-8';
    const started = Date.now();
    const exchange: Exchange = {
      method,
      url,
      requestHeaders: redactHeaders(headers),
      requestBody: opts.body,
      responseHeaders: {},
      body: '',
      ms: 0,
    };
    try {
      const res = await send(method, url, headers, opts.body, {
        agent: agentFor(url, this.options),
        timeoutMs: opts.timeoutMs ?? this.options.timeoutMs ?? REQUEST_TIMEOUT_MS,
        ca: this.options.ca,
      });
      exchange.status = res.status;
      exchange.responseHeaders = res.headers;
      exchange.body = res.body;
      this.jar.absorb(res.headers['set-cookie']);
      const replica = this.options.replicaHeader ? res.headers[this.options.replicaHeader.toLowerCase()] : undefined;
      if (typeof replica === 'string') exchange.replica = replica;
    } catch (error) {
      exchange.error = describeNetworkError(error);
      // A TLS failure gets the certificate's issuer/names and the browser's wording (src/tls/explain.ts).
      const tls = await explainNodeError(url, error, this.options);
      if (tls) Object.assign(exchange, { error: tls.message, tlsCause: tls.cause });
    }
    exchange.ms = Date.now() - started;
    this.exchanges.push(exchange);
    return exchange;
  }
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  opts: { agent: http.Agent; timeoutMs: number; ca?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(
      target,
      // `ca` also on the request: through a proxy tunnel the TLS to the target is made with the request's options.
      { method, headers, agent: opts.agent, ca: opts.ca, timeout: opts.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One line a person understands: DNS, refused, TLS, timeout. */
export function describeNetworkError(error: unknown): string {
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  const message = err.message ?? String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused (${message})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed (${message})`;
    case 'ECONNRESET':
      return `connection reset by peer (${message})`;
    case 'EADDRNOTAVAIL':
      return `source address not available (${message})`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS error: the server's certificate is not signed by a trusted CA (${code}); trust its CA (SOCKETPROOF_CA_FILE) rather than disabling verification`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS error: the certificate does not name this host (${message})`;
    case 'CERT_HAS_EXPIRED':
      return `TLS error: the server's certificate has expired (${code})`;
    default:
      if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return `TLS error ${code} (${message})`;
      return code ? `${code} (${message})` : message;
  }
}

export function headerValue(headers: Exchange['responseHeaders'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
