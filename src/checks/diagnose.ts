/**
 * Diagnosis: from what a request observed to a cause in the catalogue. One place, used by every check, driven by
 * the Engine.IO code table. Nothing here knows how the target was built; it reads responses only.
 *
 * The same fault must get the same cause on every run, so the follow-up questions are asked by ONE client, one
 * request after another, after the check's own concurrent clients have finished (callers make sure of that), and
 * every question that depends on where a load balancer sends a request is asked with enough samples, in a pattern
 * that a strict round robin cannot hide (an odd number of requests per cycle). The order of the questions:
 *   1. Did anything answer? A network/TLS error is about reaching the target, nothing else can be asked.
 *   2. Was it a cache? A cached answer (cache headers, a cached page handing out another replica's token) makes
 *      every later observation meaningless: it is asked first.
 *   3. Is the path served (404 → wrong path)?
 *   4. The Engine.IO code, when the body has one: 1 → affinity, 3 → a proxy dropping Upgrade, 0/2/5 → the request.
 *   5. For Forbidden (code 4), which has several causes behind a proxy:
 *      a. does the page hand out the app's cookie at all (no → the cookie is dropped on the way);
 *      b. are there several replicas, each with its own token (distinct tokens or replica names over several page
 *         loads), and does the same token pass on some handshakes and fail on others → no session affinity. This
 *         comes BEFORE the Origin question: without affinity a handshake without Origin passes or fails by chance;
 *      c. does the handshake pass without the Origin header while it fails with it, every time → origin rejected
 *         (asked with WebSocket handshakes when a WebSocket handshake was refused: Theia 1.74 checks only the Origin
 *         header, which browsers send on WebSocket and not on a same-origin polling GET);
 *      d. otherwise the cookie is sent, stable and refused: the Cookie header does not reach the app.
 * A failed WebSocket upgrade (src/checks/diagnose-upgrade.ts) asks: does a new upgrade (no sid) pass? Does the
 * upgrade of a polling session reach the replica that knows its sid?
 */
import { describeEngineIoError, engineIoCodes, parseEngineIoError } from '../causes/engineio-codes';
import type { EngineIoProbe } from '../probes/engineio';
import { type Exchange, headerValue } from '../probes/http';
import { rawUpgrade } from '../probes/websocket';
import type { Target } from '../targets/target';
import type { Diagnosis } from './diagnosis';
import { refusedBeforeApp } from './refused-before-app';

export type { Diagnosis };

const cacheHeaders = ['x-cache-status', 'x-cache', 'cf-cache-status', 'cdn-cache-status'];

/** A response served from a cache (a CDN in front of the app) instead of by the app itself. */
export function servedFromCache(ex: Exchange): string | undefined {
  for (const name of cacheHeaders) {
    const value = headerValue(ex.responseHeaders, name);
    if (value && /HIT|STALE|REVALIDATED/i.test(value)) return `${name}: ${value}`;
  }
  const age = headerValue(ex.responseHeaders, 'age');
  if (age && Number(age) >= 0) return `age: ${age}`;
  // Engine.IO answers a transport=websocket request with 101 or an error, never with a polling open packet: that
  // answer is a cached handshake served for a key without the query string (an nginx proxy_cache, no cache header).
  // Nor a poll on an existing sid: an open packet there is another request's answer, cached.
  if (ex.status === 200 && ex.body?.startsWith('0{')) {
    // URL.canParse: the browser's exchanges may carry what the page asked for, not always an absolute URL.
    const query = URL.canParse(ex.url) ? new URL(ex.url).searchParams : new URLSearchParams();
    if (query.get('transport') === 'websocket') return 'a polling open packet answered a transport=websocket request';
    if (query.get('sid')) return 'an open packet answered a poll on an existing sid';
  }
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

/** Page loads and handshakes per sample: odd, so a strict round robin over 2 replicas cannot align with it. */
const PAGE_LOADS = 5;
const HANDSHAKES = 5;

/**
 * A Forbidden (Engine.IO code 4) has several causes behind a proxy; tell them apart with harmless sequential
 * follow-up requests of one client, in the order written at the top of this file.
 */
export async function diagnoseForbidden(
  probe: EngineIoProbe,
  cookieName: string | undefined,
  forbidden: Exchange,
): Promise<Diagnosis> {
  const seen = summarizeExchange(forbidden);
  const cachedFirst = cachedPage(probe, seen);
  if (cachedFirst) return cachedFirst;
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
    for (let i = 0; i < PAGE_LOADS; i++) {
      const page = await probe.fetchAppPage();
      const token = probe.http.jar.get(cookieName);
      if (token) tokens.add(token);
      if (page.replica) replicas.add(page.replica);
    }
    const cached = cachedPage(probe, seen);
    if (cached) return cached;
    // The token of the last page load, on several handshakes: passing on some and failing on others means the
    // handshakes reach replicas that do and do not know it.
    let passed = 0;
    for (let i = 0; i < HANDSHAKES; i++) if ((await probe.handshake()).ok) passed++;
    const several = tokens.size > 1 || replicas.size > 1;
    if (several && passed > 0) {
      return {
        cause: 'session-affinity',
        observed: `${seen}; ${PAGE_LOADS} page loads by one client got ${tokens.size} different ${cookieName} values${
          replicas.size ? ` from ${[...replicas].join(', ')}` : ''
        }, and the last one passed ${passed} of ${HANDSHAKES} handshakes: the client's requests land on several replicas, each with its own token (no session affinity)`,
      };
    }
  }
  // Asked the way the refused request was made: a WebSocket handshake carries the browser's Origin (Theia 1.74 checks
  // that one), a polling handshake the frontend's origin header (none in a same-origin browser GET).
  const upgrade = new URL(forbidden.url).searchParams.get('transport') === 'websocket';
  const ask = upgrade
    ? async (origin: boolean) => (await rawUpgrade(probe, probe.target, 5000, undefined, { withOrigin: origin })).status === 101
    : async (origin: boolean) => (await probe.handshake({ withOrigin: origin })).ok;
  const kind = upgrade ? 'WebSocket handshakes (no sid)' : 'handshakes';
  let withoutOrigin = 0;
  let withOrigin = 0;
  for (let i = 0; i < HANDSHAKES; i++) {
    if (await ask(false)) withoutOrigin++;
    if (await ask(true)) withOrigin++;
  }
  if (withoutOrigin === HANDSHAKES && withOrigin === 0) {
    const host = new URL(forbidden.url).host;
    return {
      cause: 'origin-rejected',
      observed: `${seen}; ${HANDSHAKES} of ${HANDSHAKES} ${kind} without an origin header succeed and none with it: the server rejects origin ${probe.origin} (the host it received is not ${host}, or the host is not allowed)${
        upgrade ? '; a polling-first browser (Theia\'s frontend) may still work, a websocket-first client cannot' : ''
      }`,
    };
  }
  if (withoutOrigin > 0 && withOrigin > 0) {
    return {
      cause: 'session-affinity',
      observed: `${seen}; the same ${upgrade ? 'WebSocket handshake' : 'handshake'} passes and fails by turns (${withOrigin}/${HANDSHAKES} with origin, ${withoutOrigin}/${HANDSHAKES} without): the client's requests land on replicas that answer differently (no session affinity)`,
    };
  }
  if (cookieName) {
    return {
      cause: 'missing-connection-cookie',
      observed: `${seen}; the client sent ${cookieName} and it is stable, yet the server refuses it with and without an origin: the Cookie header does not reach the app`,
    };
  }
  return { cause: 'origin-rejected', observed: `${seen}; the server's allowRequest refuses this client, with and without an origin` };
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
