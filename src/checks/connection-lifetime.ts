/**
 * Connection lifetime: a WebSocket session stays up, pinging, for the session length the target declares.
 * GKE's backend timeout caps every WebSocket's LIFETIME (30 s by default), idle or not, so a session that is busy
 * the whole time still dies: the check keeps the session alive with pings and watches for "transport close".
 */
import { formatTimeline } from '../probes/sio-client';
import type { Verdict } from '../verdict';
import { type CheckContext, newProbe, sessionAfter } from './context';
import { summarizeExchange } from './diagnose';
import { VerdictBuilder, textEvidence } from './evidence';
import { websocketUpgradeCheck } from './websocket-upgrade';

export const connectionLifetimeCheckName = 'connection-lifetime';

export async function connectionLifetimeCheck(ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const length = target.sessionLengthMs;
  // Half the pings the session length allows: proof the heartbeat flows (a buffering proxy gives 0), with room for
  // timers that run late on a loaded machine.
  const minPings = Math.max(1, Math.floor(length / target.expect.pingInterval / 2));
  const v = new VerdictBuilder(
    connectionLifetimeCheckName,
    hop.name,
    `a websocket session stays connected for ${length} ms with ≥ ${minPings} pings and no disconnect`,
  );
  const probe = newProbe(ctx, 0);
  const page = await probe.fetchAppPage();
  if (page.error) return v.fail('target-unreachable', summarizeExchange(page));
  // websocket-only isolates the lifetime from affinity: one connection, one replica, for the whole session.
  const session = sessionAfter(ctx, probe, ['websocket']);
  try {
    const connected = await session.connected;
    if (!connected.ok) {
      // Why the websocket itself fails is the upgrade check's diagnosis; reuse it rather than guess.
      const upgrade = await websocketUpgradeCheck(ctx);
      v.attach(textEvidence('socket.io-client timeline', formatTimeline(session.timeline)));
      return v.fail(
        upgrade.ok ? 'unexpected-response' : (upgrade.cause ?? 'unexpected-response'),
        `could not open a websocket session (${connected.error}); ${upgrade.observed}`,
      );
    }
    const openedAt = Date.now();
    const dropped = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), length);
      session.socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
    const aliveMs = Date.now() - openedAt;
    v.attach(textEvidence('socket.io-client timeline', formatTimeline(session.timeline)));
    if (dropped) {
      const cause = dropped === 'transport close' || dropped === 'transport error' ? 'connection-lifetime-cut' : 'unexpected-response';
      return v.fail(
        cause,
        `the websocket dropped after ${aliveMs} ms ("${dropped}") with ${session.pings()} pings exchanged, short of the declared ${length} ms session: something on the path caps the connection's lifetime or idle time`,
      );
    }
    if (session.pings() < minPings) {
      return v.fail(
        'protocol-mismatch',
        `stayed up ${aliveMs} ms but saw only ${session.pings()} pings (expected ≥ ${minPings} at pingInterval ${target.expect.pingInterval} ms)`,
      );
    }
    return v.pass(`stayed up ${aliveMs} ms on websocket with ${session.pings()} pings, no disconnect`);
  } finally {
    session.close();
  }
}
