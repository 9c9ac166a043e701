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

/** host:port as URL normalises it (default port dropped), so `a:80` and `http://a` compare equal. */
function normalHost(hostHeader: string, protocol: string): string | undefined {
  try {
    return new URL(`${protocol}//${hostHeader}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

export function checkHandshake(headers: IncomingHttpHeaders, rule: GateRule): GateVerdict {
  const token = readCookie(headers.cookie, TOKEN_COOKIE);
  if (token === undefined) return { ok: false, reason: `no ${TOKEN_COOKIE} cookie` };
  if (token !== rule.token) return { ok: false, reason: `${TOKEN_COOKIE} from another process` };

  // Theia's frontend sends its page origin in `fix-origin` (browsers send no Origin on a same-origin GET, and
  // socket.io strips it); Theia's backend copies that header over `origin` before validating.
  const fixOrigin = headers['fix-origin'];
  const origin = (Array.isArray(fixOrigin) ? fixOrigin[0] : fixOrigin) ?? headers.origin;
  if (origin === undefined) return { ok: true };
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { ok: false, reason: `unparsable Origin ${JSON.stringify(origin)}` };
  }
  const originHost = url.host.toLowerCase();
  const host = headers.host ? normalHost(headers.host, url.protocol) : undefined;
  if (originHost !== host) return { ok: false, reason: `Origin host ${originHost} != Host ${headers.host ?? '(none)'}` };

  if (rule.allowedHosts) {
    const allowed = rule.allowedHosts.map((h) => h.toLowerCase());
    if (!allowed.includes(originHost) && !allowed.includes(url.hostname.toLowerCase())) {
      return { ok: false, reason: `Origin host ${originHost} not in allowedHosts` };
    }
  }
  return { ok: true };
}
