/**
 * A raw WebSocket upgrade to the Engine.IO endpoint (transport=websocket, no sid), as a browser's socket.io client
 * does when it is configured websocket-only. It reports the HTTP status of the upgrade (101, or the 400/403 and
 * body a proxy or the server answered instead) and the first frames.
 */
import { WebSocket } from 'ws';
import type { Target } from '../targets/target';
import { type Exchange, describeNetworkError } from './http';
import { agentFor } from './network';
import { type EngineIoProbe, namespaceConnectPacket, parseOpenPacket, type OpenPacket } from './engineio';

export interface UpgradeResult {
  /** 101 when the upgrade succeeded. */
  status?: number;
  open?: OpenPacket;
  /** The namespace CONNECT answer (`40/services,{"sid":…}` or `44…`). */
  connectAnswer?: string;
  /** The HTTP exchange when the upgrade was refused (status, headers, body). */
  refused?: Exchange;
  error?: string;
  frames: string[];
}

/**
 * `sid`: upgrade an existing polling session (as socket.io-client does after polling first) instead of opening a
 * new one: the server must know the sid, so behind a load balancer this request must reach the same replica as the
 * handshake did. It succeeds on the `3probe` answer to `2probe`.
 * `withOrigin: false` leaves out the Origin header a browser always sends on a WebSocket handshake (a diagnosis asks
 * both ways to tell an origin check from the rest).
 */
export async function rawUpgrade(
  probe: EngineIoProbe,
  target: Target,
  timeoutMs = 5000,
  sid?: string,
  opts: { withOrigin?: boolean } = {},
): Promise<UpgradeResult> {
  const query: Record<string, string> = { EIO: String(target.expect.eio), transport: 'websocket', ...(sid ? { sid } : {}) };
  const url = probe.engineUrl(query).replace(/^http/, 'ws');
  const headers: Record<string, string> = { ...probe.http.options.headers };
  const cookie = [headers.cookie, probe.http.jar.header()].filter(Boolean).join('; ');
  if (cookie) headers.cookie = cookie;
  const result: UpgradeResult = { frames: [] };
  const started = Date.now();
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      headers,
      origin: opts.withOrigin === false ? undefined : probe.origin,
      agent: agentFor(url, probe.http.options),
      ca: probe.http.options.ca,
      handshakeTimeout: timeoutMs,
    });
    const finish = () => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => {
      result.error ??= `no complete answer within ${timeoutMs} ms`;
      finish();
    }, timeoutMs);
    ws.on('upgrade', (res) => {
      result.status = res.statusCode;
    });
    if (sid) ws.on('open', () => ws.send('2probe'));
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        result.status = res.statusCode;
        result.refused = {
          method: 'GET',
          url,
          requestHeaders: {},
          status: res.statusCode,
          responseHeaders: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Date.now() - started,
        };
        finish();
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? `<binary ${data.length} bytes>` : data.toString('utf8');
      result.frames.push(frame);
      if (sid) {
        if (frame === '3probe') {
          result.connectAnswer = frame;
          finish();
        }
      } else if (!result.open) {
        result.open = parseOpenPacket(frame);
        ws.send(namespaceConnectPacket(target.expect.namespace));
      } else if (frame.startsWith('40') || frame.startsWith('44')) {
        result.connectAnswer = frame;
        finish();
      }
    });
    ws.on('close', () => {
      result.error ??= 'the server closed the WebSocket before the namespace connected';
      finish();
    });
    ws.on('error', (error) => {
      result.error ??= describeNetworkError(error);
      finish();
    });
  });
}
