/**
 * Answers that come from something in front of the app, so no Engine.IO code explains them: an authenticating
 * proxy's 401/403 (an identity-aware proxy at the load balancer), and nginx's 400 for plain HTTP on an HTTPS port.
 * Theia's own refusal is a 403 too, but with an Engine.IO body (`{"code":4,"message":"Forbidden"}`, or `Forbidden`
 * on an upgrade): that stays on the Engine.IO path (origin, cookie, affinity) and is never read as auth-rejected.
 */
import { engineIoCodes, parseEngineIoError } from '../causes/engineio-codes';
import { type Exchange, headerValue } from '../probes/http';
import { isSecretHeader } from '../secrets/redact';
import type { Target } from '../targets/target';
import { describeTlsFailure, isPlainHttpToHttpsAnswer } from '../tls/failure';
import type { Diagnosis } from './diagnosis';

/** A 401, or a 403 whose body is not an Engine.IO error (JSON with a code, or an upgrade's plain message). */
export function isAuthRefusal(status: number | undefined, body: string): boolean {
  if (status === 401) return true;
  if (status !== 403) return false;
  const text = body.trim();
  return !parseEngineIoError(text) && !Object.values(engineIoCodes).some((c) => c.message === text);
}

export interface AuthRefusal {
  method: string;
  url: string;
  status: number;
  /** The scheme the proxy asks for (first word of WWW-Authenticate), if it said. */
  challenge?: string;
  /** Names (never values) of the request headers that carry credentials. */
  sentHeaders: string[];
}

/** Header names that carry credentials: the target's auth headers, SOCKETPROOF_HEADER_*, the usual ones. */
function credentialHeaderNames(target: Target | undefined, env: NodeJS.ProcessEnv): Set<string> {
  const names = new Set(Object.keys(target?.auth?.headers ?? {}).map((h) => h.toLowerCase()));
  for (const k of Object.keys(env)) {
    const m = /^SOCKETPROOF_HEADER_(.+)$/.exec(k);
    if (m?.[1] && env[k]) names.add(m[1].toLowerCase().replaceAll('_', '-'));
  }
  return names;
}

export function sentCredentialHeaders(headerNames: string[], target?: Target, env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = credentialHeaderNames(target, env);
  return headerNames
    .map((h) => h.toLowerCase())
    .filter((h) => configured.has(h) || (isSecretHeader(h) && h !== 'cookie' && h !== 'set-cookie'))
    .sort();
}

/** What to check: the target's own auth variables first, then the generic header variables. */
export function authAdvice(target: Target | undefined): string {
  const own = Object.entries(target?.auth?.headers ?? {}).map(([header, variable]) => `${variable} (header ${header})`);
  return `check ${[...own, 'the header variables SOCKETPROOF_HEADER_<NAME>'].join(' / ')}`;
}

export function describeAuthRefusal(r: AuthRefusal, target?: Target): string {
  const u = new URL(r.url);
  const challenge = r.challenge ? ` (WWW-Authenticate: ${r.challenge})` : '';
  const sent = r.sentHeaders.length > 0 ? `credential headers sent: ${r.sentHeaders.join(', ')}` : 'no credential header sent';
  return `${r.method} ${u.pathname}${u.search} → ${r.status}${challenge}: refused before the app (not an Engine.IO answer; ${sent}); ${authAdvice(target)}`;
}

/** The request was answered by something in front of the app; undefined when the app (or nothing) answered. */
export function refusedBeforeApp(ex: Exchange, target?: Target): Diagnosis | undefined {
  if (ex.status === undefined) return undefined;
  const u = new URL(ex.url);
  if (isPlainHttpToHttpsAnswer(ex.status, ex.body)) {
    return {
      cause: 'tls-wrong-protocol',
      observed: `${ex.method} ${u.pathname}${u.search} → 400; ${describeTlsFailure('http-to-https-port', ex.url)}`,
    };
  }
  if (!isAuthRefusal(ex.status, ex.body)) return undefined;
  const challenge = headerValue(ex.responseHeaders, 'www-authenticate')?.split(/\s/)[0];
  const refusal = { method: ex.method, url: ex.url, status: ex.status, challenge, sentHeaders: sentCredentialHeaders(Object.keys(ex.requestHeaders), target) };
  return { cause: 'auth-rejected', observed: describeAuthRefusal(refusal, target) };
}
