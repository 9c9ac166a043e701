import type { IncomingHttpHeaders } from 'node:http';
import { TOKEN_COOKIE } from './options';

/**
 * Theia 1.74's handshake gate, as Engine.IO's `allowRequest` (engine.io calls it only for a handshake, i.e. a request
 * without `sid`, and answers 403 `{"code":4,"message":"Forbidden"}` on polling / 400 on a direct upgrade itself).
 * Pure so the reasons can be unit-tested and logged: the real Theia gives no reason, the mock's log does.
 */

export interface GateRule {
  token: string;
  allowedHosts?: string[];
}

export type GateVerdict = { ok: true } | { ok: false; reason: string };

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Theia 1.74.1's two WsRequestValidator contributions (browser-connection-token.ts, ws-origin-validator.ts); both
 * must pass: the token cookie, and the Origin. Only the `Origin` header counts: 1.74.1's frontend sends no
 * `fix-origin` any more, and browsers send no Origin on a same-origin polling GET but always one on a WebSocket
 * handshake — so a polling-first browser is never origin-checked, a websocket-first client always is.
 */
export function checkHandshake(headers: IncomingHttpHeaders, rule: GateRule): GateVerdict {
  const token = readCookie(headers.cookie, TOKEN_COOKIE);
  if (token === undefined) return { ok: false, reason: `no ${TOKEN_COOKIE} cookie` };
  if (token !== rule.token) return { ok: false, reason: `${TOKEN_COOKIE} from another process` };

  const origin = headers.origin;
  if (origin === undefined) return { ok: true };
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { ok: false, reason: `unparsable Origin ${JSON.stringify(origin)}` };
  }
  // THEIA_HOSTS set: the allowlist alone decides, by exact host (with its port, as URL writes it).
  if (rule.allowedHosts && rule.allowedHosts.length > 0) {
    return rule.allowedHosts.includes(originHost) ? { ok: true } : { ok: false, reason: `Origin host ${originHost} not in THEIA_HOSTS` };
  }
  // Otherwise same-origin: the Origin's host must be the Host header, as received (no normalisation).
  if (originHost !== headers.host) return { ok: false, reason: `Origin host ${originHost} != Host ${headers.host ?? '(none)'}` };
  return { ok: true };
}
