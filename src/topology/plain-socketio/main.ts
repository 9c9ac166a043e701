/**
 * A plain Socket.IO 4 app with every server default (path /socket.io/, pingInterval 25000, pingTimeout 20000,
 * maxHttpBufferSize 1e6, no cookie, no origin rule), served at `/`: the most common deployment, and a target the
 * suite did not shape after Theia. Its page connects with the client's defaults (polling first, then websocket) and
 * echoes. One process per pod, like the mock Theia:
 *   node --import tsx src/topology/plain-socketio/main.ts --config '{"podName":"pod-0","port":0}'
 * Prints one `{"event":"listening","port":N}` line once it accepts connections; SIGTERM/SIGINT end it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8');
const { values } = parseArgs({ options: { config: { type: 'string' } } });
const config = JSON.parse(values.config ?? '{}') as { podName?: string; port?: number };

const httpServer = createServer((req, res) => {
  const path = new URL(`http://x${req.url ?? '/'}`).pathname;
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`Cannot ${req.method} ${path}`);
});
// Defaults on purpose: nothing here is tuned for the suite.
const io = new Server(httpServer);
io.on('connection', (socket) => {
  socket.on('echo', (text: unknown, ack?: (t: unknown) => void) => ack?.(text));
});

httpServer.listen(config.port ?? 0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ event: 'listening', port, pod: config.podName ?? 'plain' })}\n`);
});
const stop = () => {
  setTimeout(() => process.exit(0), 2000).unref();
  io.close(() => process.exit(0));
  httpServer.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
