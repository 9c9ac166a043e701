/**
 * From "a client failed" to "this TLS failure, in one line": the client's own code (Node's or Chromium's) says what
 * kind of failure it saw; a read-only handshake (src/tls/inspect.ts) with the same trust supplies the certificate's
 * issuer, names and dates, and confirms the cases a code alone cannot (is that port really speaking TLS?). Node's
 * probes and the browser check both end here, so both print the same sentence.
 */
import type { CauseId } from '../causes/catalogue';
import type { NetworkOptions } from '../probes/network';
import {
  chromiumNetError,
  describeTlsFailure,
  maybeTlsPort,
  type TlsFailureKind,
  tlsCauseOf,
  tlsKindOfChromiumError,
  tlsKindOfNodeError,
} from './failure';
import { inspectTls } from './inspect';

export interface TlsExplanation {
  cause: CauseId;
  message: string;
}

function asScheme(url: string, scheme: 'https:' | 'http:'): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
  return `${scheme}//${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${port}/`;
}

/**
 * `hint`: the kind the client's code points at. Certificate kinds are what the client saw, so they stand (the
 * inspection only adds facts); the wrong-protocol kinds are suspicions a handshake must confirm, else undefined.
 */
export async function explainTls(url: string, net: NetworkOptions, hint: TlsFailureKind, seenAs?: string): Promise<TlsExplanation | undefined> {
  const say = (kind: TlsFailureKind, cert?: Parameters<typeof describeTlsFailure>[2]) => ({
    cause: tlsCauseOf[kind],
    message: describeTlsFailure(kind, url, cert, seenAs),
  });
  if (hint === 'http-to-https-port') {
    const probe = await inspectTls(asScheme(url, 'https:'), net);
    return probe.tls ? say(hint) : undefined;
  }
  const probe = await inspectTls(url, net);
  if (hint === 'https-to-http-port') return !probe.tls && probe.kind === 'https-to-http-port' ? say(hint) : undefined;
  return say(hint, probe.cert);
}

/** A Node client's error (https, ws, socket.io-client) → the TLS failure it is, if it is one. */
export async function explainNodeError(url: string, error: unknown, net: NetworkOptions): Promise<TlsExplanation | undefined> {
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  const hint = tlsKindOfNodeError(code, err.message ?? '') ?? (maybeTlsPort(url, code) ? 'http-to-https-port' : undefined);
  return hint ? explainTls(url, net, hint, code ? `Node: ${code}` : undefined) : undefined;
}

/** A Chromium navigation error (`page.goto: net::ERR_… at …`) → the TLS failure it is, if it is one. */
export async function explainChromiumError(url: string, message: string, net: NetworkOptions): Promise<TlsExplanation | undefined> {
  const netError = chromiumNetError(message);
  const hint = tlsKindOfChromiumError(netError) ?? (maybeTlsPort(url, netError) ? 'http-to-https-port' : undefined);
  return hint ? explainTls(url, net, hint, `Chromium: ${netError}`) : undefined;
}
