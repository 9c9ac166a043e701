/**
 * Engine.IO v4 error codes, as engine.io's server.ts answers them (HTTP 400 JSON `{"code":N,"message":"…"}`,
 * except Forbidden, which is 403). This one table drives every diagnosis.
 */
import type { CauseId } from './catalogue';

export interface EngineIoCode {
  code: number;
  message: string;
  meaning: string;
  /** The deployment cause this code usually points at, when nothing else observed says otherwise. */
  likelyCause: CauseId;
}

export const engineIoCodes: Record<number, EngineIoCode> = {
  0: {
    code: 0,
    message: 'Transport unknown',
    meaning: 'the `transport` query parameter is missing or not allowed',
    likelyCause: 'malformed-request',
  },
  1: {
    code: 1,
    message: 'Session ID unknown',
    meaning: 'the `sid` is not known to the process that received the request',
    likelyCause: 'session-affinity',
  },
  2: {
    code: 2,
    message: 'Bad handshake method',
    meaning: 'a handshake (no `sid`) arrived with a method other than GET',
    likelyCause: 'malformed-request',
  },
  3: {
    code: 3,
    message: 'Bad request',
    meaning: 'transport=websocket without an Upgrade, a transport mismatch, or a rejected header',
    likelyCause: 'upgrade-blocked',
  },
  4: {
    code: 4,
    message: 'Forbidden',
    meaning: "the server's allowRequest refused the handshake (Theia: connection cookie or Origin/Host check)",
    likelyCause: 'origin-rejected',
  },
  5: {
    code: 5,
    message: 'Unsupported protocol version',
    meaning: 'EIO is missing or not the version the server speaks',
    likelyCause: 'protocol-mismatch',
  },
};

/** Parses an Engine.IO error body; undefined when the body is not one. */
export function parseEngineIoError(body: string): { code: number; message: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'code' in parsed && typeof parsed.code === 'number') {
      const message = 'message' in parsed && typeof parsed.message === 'string' ? parsed.message : '';
      return { code: parsed.code, message };
    }
  } catch {
    // Not JSON: a proxy's HTML error page, a plain-text 400 from a failed upgrade, etc.
  }
  return undefined;
}

export function describeEngineIoError(code: number, message: string): string {
  const known = engineIoCodes[code];
  return known
    ? `Engine.IO code ${code} "${message || known.message}" (${known.meaning})`
    : `Engine.IO code ${code} "${message}"`;
}
