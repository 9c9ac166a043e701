import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createAppHandler, loadAssets } from './app';
import { checkHandshake } from './gate';
import { type MockTheiaOptions, POD_HEADER } from './options';
import { attachNamespaces } from './sockets';

/**
 * One mock Theia backend ("pod"): node:http + Socket.IO 4 configured like Theia 1.74 (timings, payload cap,
 * connection-token cookie, Origin rule, any namespace), plus two things Theia lacks that make replicas
 * distinguishable in a report: the `X-Socketproof-Pod` header and the `hello` event.
 */

export interface MockTheia {
  port: number;
  close(): Promise<void>;
}

export interface MockTheiaHooks {
  /** One JSON line per event (engine.io connection, close, refused handshake). Default: stdout. */
  log?: (line: string) => void;
}

export async function startMockTheia(opts: MockTheiaOptions, hooks: MockTheiaHooks = {}): Promise<MockTheia> {
  const pod = opts.podName;
  const print = hooks.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (event: Record<string, unknown>) => print(JSON.stringify({ ...event, pod }));
  const token = opts.connectionToken ?? randomUUID();

  const assets = await loadAssets(opts.basePath, opts.socketPath, { workspaceTrust: opts.workspaceTrust });
  const httpServer = createServer(createAppHandler(opts.basePath, token, assets));

  // Engine.IO's own error body only says "Forbidden" (as Theia's); the reason goes to the log.
  const refusals = new WeakMap<IncomingMessage, string>();
  const io = new Server(httpServer, {
    // socket.io trims a trailing slash and engine.io adds it back: `/theia/socket.io` and `/theia/socket.io/` both
    // configure the same mount, and only requests under `<path>/` are Engine.IO's (a real socket.io does the same).
    path: opts.socketPath,
    pingInterval: opts.pingInterval,
    pingTimeout: opts.pingTimeout,
    maxHttpBufferSize: opts.maxPayload,
    serveClient: true,
    allowRequest: (req, callback) => {
      const verdict = checkHandshake(req.headers, { token, allowedHosts: opts.allowedHosts });
      if (!verdict.ok) refusals.set(req, verdict.reason);
      callback(null, verdict.ok);
    },
  });

  // Socket.IO has wrapped the app handler by now; wrapping once more stamps the pod on every HTTP response,
  // including Engine.IO errors and the client bundle. The 101 of a WebSocket upgrade goes through the hooks below.
  const handlers = httpServer.listeners('request');
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req, res) => {
    res.setHeader(POD_HEADER, pod);
    for (const handler of handlers) handler.call(httpServer, req, res);
  });
  const stamp = (headers: Record<string, string | string[]>) => {
    headers[POD_HEADER] = pod;
  };
  io.engine.on('initial_headers', stamp);
  io.engine.on('headers', stamp);

  io.engine.on('connection', (socket) => {
    const remote = socket.request.socket.remoteAddress;
    log({ event: 'connection', sid: socket.id, transport: socket.transport.name, remote });
    socket.once('close', (reason: string) => {
      log({ event: 'close', sid: socket.id, transport: socket.transport.name, reason });
    });
  });
  io.engine.on('connection_error', (err: { req: IncomingMessage; code: number; message: string }) => {
    const reason = refusals.get(err.req);
    log({ event: 'connection_error', code: err.code, message: err.message, reason, url: err.req.url });
  });

  attachNamespaces(io, pod);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  return {
    port: (httpServer.address() as AddressInfo).port,
    close() {
      closing ??= (async () => {
        const done = io.close();
        // Keep-alive and pending long-poll connections would otherwise hold server.close() open.
        httpServer.closeAllConnections();
        await done;
      })();
      return closing;
    },
  };
}
