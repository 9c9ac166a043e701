/**
 * A stable loopback address in front of a topology that gets replaced (the playground starts a new one when the
 * live objects change): the URL a user opened keeps working. A plain TCP relay, so HTTP, polling and WebSockets
 * pass untouched; it connects to the current load balancer from the CLIENT's own source address (127.0.0.x),
 * because the load balancer's CLIENT_IP affinity hashes `$remote_addr` and must see the client, not the door.
 * Connections already open stay on the topology they reached; that topology's stop() ends them.
 */
import { connect, createServer, type Socket } from 'node:net';
import { listenOnLoopback, spliceWhenConnected } from './tcp-relay';

export interface FrontDoor {
  port: number;
  /** Sends new connections to this load-balancer port from now on. */
  retarget(port: number): void;
  close(): Promise<void>;
}

export async function startFrontDoor(targetPort: number): Promise<FrontDoor> {
  let target = targetPort;
  const open = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (client) => {
    const local = client.remoteAddress?.replace(/^::ffff:/, '');
    const upstream = connect({ port: target, host: '127.0.0.1', localAddress: local?.startsWith('127.') ? local : undefined, allowHalfOpen: true });
    open.add(client);
    open.add(upstream);
    client.on('close', () => {
      upstream.end();
      open.delete(client);
    });
    upstream.on('close', () => {
      client.end();
      open.delete(upstream);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    spliceWhenConnected(client, upstream);
  });
  const { port, close } = await listenOnLoopback(server, open);
  return {
    port,
    retarget(p) {
      target = p;
    },
    close,
  };
}
