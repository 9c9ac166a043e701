import type { Server, Socket } from 'socket.io';
import { createTerminalSession } from './terminal-session';

/**
 * What a connected Socket.IO client sees: a `hello` naming the pod (any namespace, as Theia accepts any), the
 * `initialConnection` reply, and on `/services` a simulated terminal whose input and output travel as BINARY
 * Socket.IO messages, like Theia's RPC (a proxy that mangles binary frames must break it here too).
 */

function toBytes(payload: unknown): Uint8Array | undefined {
  if (payload instanceof Uint8Array) return payload; // Buffer included
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  if (typeof payload === 'string') return new TextEncoder().encode(payload);
  return undefined;
}

function attachTerminal(socket: Socket, pod: string): void {
  const session = createTerminalSession(pod);
  // Streaming decoder: a multi-byte character may be split across two messages.
  const decoder = new TextDecoder('utf-8');
  const send = (text: string) => {
    if (text) socket.emit('terminal:output', Buffer.from(text, 'utf8'));
  };
  socket.on('terminal:open', () => send(session.open()));
  socket.on('terminal:input', (payload: unknown) => {
    const bytes = toBytes(payload);
    if (bytes) send(session.input(decoder.decode(bytes, { stream: true })));
  });
}

function onConnection(pod: string) {
  return (socket: Socket): void => {
    // Emitted here, i.e. after socket.io has sent the namespace CONNECT ack, so a raw probe reads `40…` then `42…hello`.
    socket.emit('hello', { pod });
    socket.on('initialConnection', (frontendId: unknown) => {
      socket.emit('initialConnection', { frontendId, pod });
    });
    if (socket.nsp.name === '/services') attachTerminal(socket, pod);
  };
}

export function attachNamespaces(io: Server, pod: string): void {
  const handler = onConnection(pod);
  // `/` exists from the start and is never a child of the regex parent, so it needs its own listener.
  io.of('/').on('connection', handler);
  io.of(/.*/).on('connection', handler);
}
