/**
 * TLS failures as causes: which error codes (Node's OpenSSL codes, Chromium's net:: errors, nginx's answer to plain
 * HTTP on an HTTPS port) mean which failure, and the one line that says it. Node and the browser word a failure
 * with the same function, from the same facts about the certificate (src/tls/inspect.ts), so a reader sees one
 * sentence whichever client noticed; only the raw code in brackets differs.
 */
import type { CauseId } from '../causes/catalogue';

export type TlsFailureKind = 'untrusted-issuer' | 'expired' | 'name-mismatch' | 'http-to-https-port' | 'https-to-http-port';

export const tlsCauseOf: Record<TlsFailureKind, CauseId> = {
  'untrusted-issuer': 'tls-untrusted-issuer',
  expired: 'tls-expired',
  'name-mismatch': 'tls-name-mismatch',
  'http-to-https-port': 'tls-wrong-protocol',
  'https-to-http-port': 'tls-wrong-protocol',
};

/** What the certificate says, as far as a failure message needs it. */
export interface CertificateFacts {
  /** `CN=…, O=…` of the issuer. */
  issuer?: string;
  subject?: string;
  /** subjectAltName as Node prints it: `DNS:a.example, IP Address:127.0.0.1`. */
  names?: string;
  validFrom?: string;
  validTo?: string;
}

const nodeCodes: Record<string, TlsFailureKind> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-issuer',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-issuer',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted-issuer',
  CERT_UNTRUSTED: 'untrusted-issuer',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name-mismatch',
  ERR_SSL_WRONG_VERSION_NUMBER: 'https-to-http-port',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'https-to-http-port',
};

/** A Node/OpenSSL error → the TLS failure it is, or undefined when it is not one. */
export function tlsKindOfNodeError(code: string | undefined, message = ''): TlsFailureKind | undefined {
  if (code && nodeCodes[code]) return nodeCodes[code];
  // OpenSSL 3 in Node 20 reports a plain-HTTP answer to a ClientHello as EPROTO "…:wrong version number".
  if (code === 'EPROTO' && /wrong version number|packet length too long|http request/i.test(message)) return 'https-to-http-port';
  return undefined;
}

const chromiumCodes: Record<string, TlsFailureKind> = {
  'net::ERR_CERT_AUTHORITY_INVALID': 'untrusted-issuer',
  'net::ERR_CERT_DATE_INVALID': 'expired',
  'net::ERR_CERT_COMMON_NAME_INVALID': 'name-mismatch',
  'net::ERR_SSL_PROTOCOL_ERROR': 'https-to-http-port',
};

/** The `net::ERR_…` code in a Playwright navigation error, if any. */
export function chromiumNetError(message: string): string | undefined {
  return /net::ERR_[A-Z_]+/.exec(message)?.[0];
}

export function tlsKindOfChromiumError(netError: string | undefined): TlsFailureKind | undefined {
  return netError ? chromiumCodes[netError] : undefined;
}

/**
 * Errors that, on an http:// URL, may mean the port speaks TLS (it hangs up or answers bytes that are not HTTP):
 * only a TLS handshake to the port can tell, so these are the cue to try one.
 */
export function maybeTlsPort(url: string, code: string | undefined): boolean {
  if (new URL(url).protocol !== 'http:' && new URL(url).protocol !== 'ws:') return false;
  return code === 'ECONNRESET' || code === 'net::ERR_EMPTY_RESPONSE' || code === 'net::ERR_INVALID_HTTP_RESPONSE' || /^HPE_/.test(code ?? '');
}

/** nginx's answer to plain HTTP on an `ssl` listener: a 400 whose page says so. */
export function isPlainHttpToHttpsAnswer(status: number | undefined, body: string): boolean {
  return status === 400 && body.includes('The plain HTTP request was sent to HTTPS port');
}

function hostOf(url: string): { host: string; hostname: string } {
  const u = new URL(url);
  return { host: u.host, hostname: u.hostname.replace(/^\[|\]$/g, '') };
}

function withScheme(url: string, scheme: 'http' | 'https'): string {
  const u = new URL(url);
  return `${scheme}://${u.host}`;
}

/** The one line for a TLS failure. `seenAs` is the raw code the client reported (appended in brackets). */
export function describeTlsFailure(kind: TlsFailureKind, url: string, cert: CertificateFacts = {}, seenAs?: string): string {
  const { host, hostname } = hostOf(url);
  const raw = seenAs ? ` [${seenAs}]` : '';
  switch (kind) {
    case 'untrusted-issuer':
      return `TLS: the server's certificate is not signed by a trusted CA: ${host} presents a certificate issued by "${
        cert.issuer ?? 'an issuer that could not be read'
      }"; SOCKETPROOF_CA_FILE=<PEM file, one or several certificates> adds a CA to trust (never disable verification)${raw}`;
    case 'expired': {
      const notYet = cert.validFrom && Date.parse(cert.validFrom) > Date.now();
      const when = notYet ? `not valid before ${iso(cert.validFrom)}` : `valid until ${iso(cert.validTo)}`;
      return `TLS: the server's certificate is expired or not yet valid: ${host} presents a certificate for "${
        cert.subject ?? '?'
      }" ${when}; renew it${raw}`;
    }
    case 'name-mismatch':
      return `TLS: the certificate does not name the host asked for: asked for ${hostname}, the certificate names ${
        cert.names ?? (cert.subject ? `only ${cert.subject}` : 'other hosts')
      }${raw}`;
    case 'http-to-https-port':
      return `TLS: plain HTTP sent to an HTTPS port: ${host} speaks TLS; use ${withScheme(url, 'https')}${raw}`;
    case 'https-to-http-port':
      return `TLS: HTTPS sent to a port that does not speak TLS: ${host} answers plain HTTP; use ${withScheme(url, 'http')} or the HTTPS port${raw}`;
  }
}

function iso(date: string | undefined): string {
  if (!date) return '?';
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}
