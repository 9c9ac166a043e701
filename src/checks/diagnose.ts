/**
 * Diagnosis: from what a request observed to a cause in the catalogue. One place, used by every check, driven by
 * the Engine.IO code table. Nothing here knows how the target was built; it reads responses only.
 */
import type { CauseId } from '../causes/catalogue';
import { describeEngineIoError, engineIoCodes, parseEngineIoError } from '../causes/engineio-codes';
import type { EngineIoProbe } from '../probes/engineio';
import { type Exchange, headerValue } from '../probes/http';
import type { Target } from '../targets/target';
import { refusedBeforeApp } from './refused-before-app';

export interface Diagnosis {
  cause: CauseId;
  observed: string;
}

const cacheHeaders = ['x-cache-status', 'x-cache', 'cf-cache-status', 'cdn-cache-status'];

/** A response served from a cache (a CDN in front of the app) instead of by the app itself. */
export function servedFromCache(ex: Exchange): string | undefined {
  for (const name of cacheHeaders) {
    const value = headerValue(ex.responseHeaders, name);
    if (value && /HIT|STALE|REVALIDATED/i.test(value)) return `${name}: ${value}`;
  }
  const age = headerValue(ex.responseHeaders, 'age');
  if (age && Number(age) >= 0) return `age: ${age}`;
  return undefined;
}

export function summarizeExchange(ex: Exchange): string {
  const path = new URL(ex.url).pathname + new URL(ex.url).search;
  if (ex.error) return `${ex.method} ${path} → ${ex.error}`;
  const body = ex.body.length > 120 ? `${ex.body.slice(0, 120)}…` : ex.body;
  return `${ex.method} ${path} → ${ex.status} ${JSON.stringify(body)}${ex.replica ? ` from ${ex.replica}` : ''}`;
}

/** Diagnoses one failed HTTP exchange on its own (no further requests); `target` names its auth variables. */
export function diagnoseExchange(ex: Exchange, target?: Target): Diagnosis {
  const seen = summarizeExchange(ex);
  if (ex.error) return { cause: ex.tlsCause ?? 'target-unreachable', observed: seen };
  const before = refusedBeforeApp(ex, target);
  if (before) return before;
  const cached = servedFromCache(ex);
  if (cached) return { cause: 'cdn-caching', observed: `${seen}; served from a cache (${cached})` };
  if (ex.status === 404) {
    return { cause: 'wrong-path', observed: `${seen}; nothing serves Socket.IO at ${new URL(ex.url).pathname}` };
  }
  const eio = parseEngineIoError(ex.body) ?? plainUpgradeError(ex);
  if (eio && (ex.status === 400 || ex.status === 403)) {
    const known = engineIoCodes[eio.code];
    return {
      cause: known?.likelyCause ?? 'unexpected-response',
      observed: `${seen}; ${describeEngineIoError(eio.code, eio.message)}`,
    };
  }
  if (ex.status !== undefined && ex.status >= 502 && ex.status <= 504) {
    return { cause: 'target-unreachable', observed: `${seen}; the hop could not reach its backend` };
  }
  return { cause: 'unexpected-response', observed: seen };
}

/**
 * The request never reached the app: no answer (network, TLS) or refused in front of it (an authenticating proxy,
 * plain HTTP on an HTTPS port). The app page is the first request of every check: this turns it into the cause.
 */
export function failedBeforeApp(ex: Exchange, target: Target): Diagnosis | undefined {
  return ex.error ? diagnoseExchange(ex, target) : refusedBeforeApp(ex, target);
}

/** A failed WebSocket upgrade answers a plain-text 400 whose body is the Engine.IO message. */
function plainUpgradeError(ex: Exchange): { code: number; message: string } | undefined {
  const text = ex.body.trim();
  for (const known of Object.values(engineIoCodes)) if (text === known.message) return known;
  return undefined;
}

/**
 * A cached app page hands every client the Set-Cookie of whichever replica answered first: its token is then refused
 * by the other replicas, whatever the affinity, and token comparisons prove nothing. The cache is the cause to fix.
 */
function cachedPage(probe: EngineIoProbe, seen: string): Diagnosis | undefined {
  for (const ex of probe.http.exchanges) {
    const hit = ex.method === 'GET' ? servedFromCache(ex) : undefined;
    if (hit) {
      return {
        cause: 'cdn-caching',
        observed: `${seen}; the app page that hands out the connection cookie is served from a cache (${hit}), so its token may belong to another replica`,
      };
    }
  }
  return undefined;
}

/**
 * A Forbidden (Engine.IO code 4) has several causes behind a proxy; tell them apart with harmless follow-up
 * requests: was the app's cookie handed out at all, does the cookie keep its value across requests (several
 * replicas each with its own token, without affinity), and does the same request pass without an Origin.
 */
export async function diagnoseForbidden(
  probe: EngineIoProbe,
  cookieName: string | undefined,
  forbidden: Exchange,
): Promise<Diagnosis> {
  const seen = summarizeExchange(forbidden);
  if (cookieName) {
    // A replay probe (e.g. after a browser failure) starts with an empty jar: load the page as a browser would.
    if (!probe.http.jar.get(cookieName)) await probe.fetchAppPage();
    if (!probe.http.jar.get(cookieName)) {
      return {
        cause: 'missing-connection-cookie',
        observed: `${seen}; the app page answered without Set-Cookie ${cookieName}, so the client had none to send`,
      };
    }
    const tokens = new Set<string>();
    const replicas = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const page = await probe.fetchAppPage();
      const token = probe.http.jar.get(cookieName);
      if (token) tokens.add(token);
      if (page.replica) replicas.add(page.replica);
    }
    const cached = cachedPage(probe, seen);
    if (cached) return cached;
    if (tokens.size > 1) {
      return {
        cause: 'session-affinity',
        observed: `${seen}; 4 further page loads by the same client got ${tokens.size} different ${cookieName} values${
          replicas.size ? ` from ${[...replicas].join(', ')}` : ''
        }: its requests land on several replicas, each with its own token (no session affinity)`,
      };
    }
  }
  const cached = cachedPage(probe, seen);
  if (cached) return cached;
  const withoutOrigin = await probe.handshake({ withOrigin: false });
  if (withoutOrigin.ok) {
    const host = new URL(forbidden.url).host;
    return {
      cause: 'origin-rejected',
      observed: `${seen}; the same handshake without an origin header succeeds: the server rejects origin ${probe.origin} (the host it received is not ${host}, or the host is not allowed)`,
    };
  }
  if (cookieName) {
    return {
      cause: 'missing-connection-cookie',
      observed: `${seen}; the client sent ${cookieName} and it is stable, yet the server refuses it: the Cookie header does not reach the app`,
    };
  }
  return { cause: 'origin-rejected', observed: `${seen}; the server's allowRequest refuses this client` };
}

/** Full diagnosis of a failed Socket.IO request: the exchange alone, then follow-ups for a Forbidden. */
export async function diagnoseSocketFailure(
  probe: EngineIoProbe,
  cookieName: string | undefined,
  ex: Exchange,
): Promise<Diagnosis> {
  const first = diagnoseExchange(ex, probe.target);
  const eio = parseEngineIoError(ex.body) ?? plainUpgradeError(ex);
  if (eio?.code === 4 && first.cause !== 'cdn-caching') return diagnoseForbidden(probe, cookieName, ex);
  return first;
}
