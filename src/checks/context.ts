/** What every check gets: the target (from its file) and the hop under test. Nothing about how it was built. */
import { EngineIoProbe, type HandshakeResult } from '../probes/engineio';
import type { HttpClientOptions } from '../probes/http';
import { type NetworkOptions, proxyFromEnv } from '../probes/network';
import { openSioSession, type SioSession } from '../probes/sio-client';
import type { Hop, Target } from '../targets/target';
import { SIO_CONNECT_TIMEOUT_MS } from './budget';

export interface CheckContext {
  target: Target;
  hop: Hop;
  /** Headers every request carries (production auth, from the environment; redacted in reports). */
  headers?: Record<string, string>;
  /** Extra CA to trust for HTTPS targets (PEM). */
  ca?: string;
  /** hostname → address, for a real hostname served on loopback. */
  resolve?: Record<string, string>;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host.startsWith('127.');
}

/**
 * Client number `i` of a check: its own cookie jar and, on a loopback hop, its own source address, so that
 * client-IP affinity sees distinct clients (one address would make an affinity check pass trivially).
 */
export function newProbe(ctx: CheckContext, i = 0, extra: HttpClientOptions = {}): EngineIoProbe {
  const addresses = ctx.target.sourceAddresses;
  const localAddress = addresses.length > 0 && isLoopback(ctx.hop.url) ? addresses[i % addresses.length] : undefined;
  return new EngineIoProbe(ctx.target, ctx.hop.url, {
    localAddress,
    headers: ctx.headers,
    ca: ctx.ca,
    resolve: ctx.resolve,
    proxy: proxyFromEnv(),
    ...extra,
  });
}

/** The network settings of a probe, for the socket.io-client session that follows it. */
export function networkOf(probe: EngineIoProbe): NetworkOptions {
  const { localAddress, ca, resolve, proxy } = probe.http.options;
  return { localAddress, ca, resolve, proxy };
}

/**
 * A socket.io-client session that continues a probe's visit: same cookies (the app's token), origin, source
 * address and network settings, as the app's own frontend would after loading the page.
 */
export function sessionAfter(ctx: CheckContext, probe: EngineIoProbe, transports?: ('polling' | 'websocket')[]): SioSession {
  return openSioSession(ctx.target, ctx.hop.url, {
    transports,
    jar: probe.http.jar,
    origin: probe.origin,
    ...networkOf(probe),
    headers: ctx.headers,
    timeoutMs: SIO_CONNECT_TIMEOUT_MS,
  });
}

/**
 * What every user's page does before any WebSocket: load the app page (Theia's connection token comes with it),
 * then the polling open. A check that opens only a WebSocket has a client of its own do this first, so that what
 * answers the WebSocket does not depend on what ran before: a cache keyed without the query string serves this open
 * packet to the WebSocket that follows, whether or not another check (or user) primed it. Two requests from another
 * cookie jar, before the check's own: on a round-robin balancer the check's page and WebSocket stay consecutive, so
 * they meet different replicas as they did without this. A failed open is not the caller's verdict (it is the
 * handshake check's); the result is returned for evidence.
 */
export async function openLikeTheApp(ctx: CheckContext): Promise<HandshakeResult> {
  const user = newProbe(ctx, 0);
  await user.fetchAppPage();
  return user.handshake();
}
