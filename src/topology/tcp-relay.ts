/**
 * What the topology's TCP relays share (the lifetime-cap relay, the playground's front door): splicing a paused
 * client to its upstream once the upstream connects, and a server on a loopback port the OS picks, closed with every
 * connection it still holds.
 */
import type { Server, Socket } from 'node:net';

/** Pipes both ways once `upstream` connects, then lets the paused client's bytes flow. */
export function spliceWhenConnected(client: Socket, upstream: Socket): void {
  upstream.once('connect', () => {
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
}

/** Listens on 127.0.0.1 at a port the OS picks; resolves with it and a close() that also ends `open` connections. */
export async function listenOnLoopback(server: Server, open: Set<Socket>): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of open) socket.destroy();
    });
    return closing;
  };
  return { port, close };
}
