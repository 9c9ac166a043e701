/**
 * GKE's backend-service `timeoutSec` is, for a WebSocket, the MAXIMUM LIFETIME of the connection: it is cut after
 * that long whatever its traffic (default 30 s). nginx only has idle timeouts, so the local load balancer reaches each
 * pod through this relay, which destroys both sides of a connection when it reaches `capMs` of age. Pings keep an
 * idle timeout from firing; they do nothing against this — which is exactly what a lifetime check must notice.
 */
import { connect, createServer, type Socket } from 'node:net';
import { listenOnLoopback, spliceWhenConnected } from './tcp-relay';

export interface LifetimeRelay {
  port: number;
  /** Connections cut so far because they reached the cap (evidence for a report). */
  cuts(): number;
  close(): Promise<void>;
}

export async function startLifetimeRelay(opts: {
  targetPort: number;
  capMs: number;
  targetHost?: string;
}): Promise<LifetimeRelay> {
  const open = new Set<Socket>();
  let cut = 0;
  // allowHalfOpen: a side that finished sending may still be owed an answer; the relay must not close it early.
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: opts.targetPort, host: opts.targetHost ?? '127.0.0.1', allowHalfOpen: true });
    open.add(client);
    open.add(upstream);
    // The age counts from accept, like the load balancer's timer, not from the first byte.
    const timer = setTimeout(() => {
      cut++;
      client.destroy();
      upstream.destroy();
    }, opts.capMs);
    let closed = 0;
    const finish = (other: Socket) => () => {
      other.end(); // flush what this side already sent, then FIN: an ordinary HTTP close must lose no bytes
      if (++closed < 2) return;
      clearTimeout(timer);
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', finish(upstream)).on('error', () => upstream.destroy());
    // A refused or reset pod reaches nginx as a reset upstream connection, as a dead backend would.
    upstream.on('close', finish(client)).on('error', () => client.destroy());
    spliceWhenConnected(client, upstream);
  });
  const { port, close } = await listenOnLoopback(server, open);
  return {
    port,
    cuts: () => cut,
    close,
  };
}
