/**
 * A TLS handshake made only to read what a server presents: its certificate (issuer, names, validity) and how the
 * suite's own trust judges it (the same CAs every client uses, resolved names, the proxy). Chromium reports
 * `net::ERR_CERT_AUTHORITY_INVALID` without naming the issuer, and Node's verification errors carry no certificate,
 * so a failure message needs this to say WHICH issuer to trust or WHICH names the certificate has.
 *
 * `rejectUnauthorized: false` here is not a disabled check: OpenSSL still verifies the chain (the result is read
 * from `authorizationError` and reported as the failure), and this connection never sends a request — it is
 * destroyed right after the handshake. Every connection that carries traffic verifies and refuses.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { bypassesProxy, lookupWith, type NetworkOptions, trustContext } from '../probes/network';
import { type CertificateFacts, type TlsFailureKind, tlsKindOfNodeError } from './failure';

export interface TlsInspection {
  /** The port completed a TLS handshake. */
  tls: boolean;
  /** What verification with the suite's trust found wrong (undefined: nothing). */
  kind?: TlsFailureKind;
  /** The verification or connection error code (UNABLE_TO_VERIFY_LEAF_SIGNATURE, EPROTO, …). */
  code?: string;
  cert?: CertificateFacts;
}

function dn(entries: Record<string, string | string[]> | undefined): string | undefined {
  if (!entries) return undefined;
  const text = Object.entries(entries)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
  return text || undefined;
}

function facts(cert: tls.PeerCertificate): CertificateFacts {
  return {
    issuer: dn(cert.issuer as unknown as Record<string, string>),
    subject: dn(cert.subject as unknown as Record<string, string>),
    names: cert.subjectaltname?.replaceAll('IP Address:', 'IP:'),
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
  };
}

/** A CONNECT tunnel through the forward proxy, the way the probes' agents reach a target behind one. */
function tunnel(proxyUrl: string, host: string, port: number, timeoutMs: number): Promise<Socket> {
  const proxy = new URL(proxyUrl);
  const auth = proxy.username
    ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` }
    : {};
  return new Promise((resolve, reject) => {
    const req = (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { host: `${host}:${port}`, ...auth },
      timeout: timeoutMs,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`the proxy answered CONNECT with ${res.statusCode}`));
      }
    });
    req.on('timeout', () => req.destroy(new Error(`no CONNECT answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Handshakes with host:port of `url` (whatever its scheme) and reports the certificate and its verification. */
export async function inspectTls(url: string, net: NetworkOptions = {}, timeoutMs = 5000): Promise<TlsInspection> {
  const target = new URL(url);
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const port = Number(target.port || (secure ? 443 : 80));
  let socket: Socket | undefined;
  try {
    if (net.proxy && !bypassesProxy(target, net.proxy.noProxy)) socket = await tunnel(net.proxy.url, hostname, port, timeoutMs);
  } catch (error) {
    return { tls: false, code: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const lookup = lookupWith(net.resolve);
  return new Promise((resolve) => {
    const conn = tls.connect({
      ...(socket ? { socket } : { host: hostname, port, ...(lookup ? { lookup } : {}) }),
      servername: isIP(hostname) ? undefined : hostname,
      secureContext: trustContext(net.ca),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const done = (result: TlsInspection) => {
      clearTimeout(timer);
      conn.removeAllListeners();
      conn.on('error', () => {});
      conn.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ tls: false, code: 'ETIMEDOUT' }), timeoutMs);
    conn.once('secureConnect', () => {
      const peer = conn.getPeerCertificate();
      const cert = peer && Object.keys(peer).length > 0 ? facts(peer) : undefined;
      const code = conn.authorizationError ? String(conn.authorizationError) : undefined;
      // The chain is trusted: is the host one of the certificate's names? (Node's own check, as its clients run it.)
      const identity = !code && peer ? tls.checkServerIdentity(hostname, peer) : undefined;
      const kind = code ? tlsKindOfNodeError(code) : identity ? 'name-mismatch' : undefined;
      done({ tls: true, kind, code: code ?? (identity as NodeJS.ErrnoException | undefined)?.code, cert });
    });
    conn.once('error', (error: NodeJS.ErrnoException) => done({ tls: false, code: error.code, kind: tlsKindOfNodeError(error.code, error.message) }));
  });
}
