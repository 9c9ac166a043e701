/**
 * How every probe reaches a hop: one agent per request (so a new TCP connection each time), carrying the source
 * address, an explicitly trusted CA, a hostname mapped to an address (a real name on loopback), and the
 * HTTPS_PROXY/NO_PROXY of the environment — Node's HTTP, WebSocket and socket.io clients ignore those variables
 * unless given an agent, so a suite behind a corporate proxy would otherwise bypass it silently.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';

export interface ProxySettings {
  url: string;
  noProxy: string[];
}

export interface NetworkOptions {
  localAddress?: string;
  /** PEM of the CAs to trust in addition to the system's, one or several (never a disabled verification). */
  ca?: string;
  /** hostname → IP address, e.g. `theia.socketproof.test → 127.0.0.1`. */
  resolve?: Record<string, string>;
  proxy?: ProxySettings;
}

export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySettings | undefined {
  const url = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (!url) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return { url, noProxy };
}

/** NO_PROXY semantics as curl has them: `*`, exact hosts, domain suffixes (`.example.com` or `example.com`), host:port. */
export function bypassesProxy(target: URL, noProxy: string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? '443' : '80');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const [name, entryPort] = entry.split(/:(?=\d+$)/);
    if (!name || (entryPort && entryPort !== port)) return false;
    const bare = name.replace(/^\*?\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

export function lookupWith(resolve: Record<string, string> | undefined): LookupFunction | undefined {
  if (!resolve || Object.keys(resolve).length === 0) return undefined;
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const mapped = resolve[hostname.toLowerCase()];
    if (!mapped) return dns.lookup(hostname, options, callback as never);
    const family = mapped.includes(':') ? 6 : 4;
    if (options.all) return callback(null, [{ address: mapped, family }]);
    return callback(null, mapped, family);
  }) as LookupFunction;
}

/**
 * What a TLS client trusts: Node's `ca` REPLACES its built-in roots, so an extra CA (a company's) is added to them;
 * a target behind a public certificate stays reachable when SOCKETPROOF_CA_FILE is set for another. Parsing ~140
 * roots costs ~10–150 ms per context, and every probe request is a new connection: one context per CA set, reused
 * (a `secureContext` wins over any `ca` a client library puts on its requests). Undefined: Node's defaults.
 */
const contexts = new Map<string, tls.SecureContext>();
export function trustContext(ca: string | undefined): tls.SecureContext | undefined {
  if (!ca) return undefined;
  let context = contexts.get(ca);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ca] });
    contexts.set(ca, context);
  }
  return context;
}

/** An agent for one request (no keep-alive: each request is a new connection a load balancer can place). */
export function agentFor(url: string, net: NetworkOptions = {}): http.Agent {
  const target = new URL(url);
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const lookup = lookupWith(net.resolve);
  const secureContext = trustContext(net.ca);
  if (net.proxy && !bypassesProxy(target, net.proxy.noProxy)) {
    // CONNECT tunnel for every scheme: the only way a WebSocket upgrade crosses a forward proxy intact. The agent's
    // own options win over a request's (http.Agent#addRequest), so the trust set here reaches the TLS made to the
    // target through the tunnel whichever client (ws, engine.io-client) built the request — and an https:// proxy's.
    const trust = secureContext ? { secureContext } : {};
    return new HttpsProxyAgent(net.proxy.url, { keepAlive: false, ...(lookup ? { lookup } : {}), ...trust }) as unknown as http.Agent;
  }
  const common = { keepAlive: false, localAddress: net.localAddress, ...(lookup ? { lookup } : {}) };
  return secure ? new https.Agent({ ...common, ...(secureContext ? { secureContext } : {}) }) : new http.Agent(common);
}
