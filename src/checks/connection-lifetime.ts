/**
 * Connection lifetime: a WebSocket session stays up, pinging, for the session length the target declares.
 * GKE's backend timeout caps every WebSocket's LIFETIME (30 s by default), idle or not, so a session that is busy
 * the whole time still dies: the check keeps the session alive with pings and watches for "transport close".
 */
import type { CauseId } from '../causes/catalogue';
import { formatTimeline } from '../probes/sio-client';
import type { Verdict } from '../verdict';
import { lifetimeGraceMs } from './budget';
import { type CheckContext, newProbe, openLikeTheApp, sessionAfter } from './context';
import { failedBeforeApp } from './diagnose';
import { VerdictBuilder, textEvidence } from './evidence';
import { websocketUpgradeCheck } from './websocket-upgrade';

export const connectionLifetimeCheckName = 'connection-lifetime';

/**
 * The cause of an established session that dropped (socket.io-client's disconnect reason): a connection closed under
 * it is cut on the path (a lifetime cap, an idle timeout); anything else the app or the client did.
 */
export function dropCause(reason: string): CauseId {
  return reason === 'transport close' || reason === 'transport error' ? 'connection-lifetime-cut' : 'unexpected-response';
}

export async function connectionLifetimeCheck(ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const length = target.sessionLengthMs;
  // Every ping the server schedules inside the session must arrive: floor(length / pingInterval), which is 0 for a
  // session shorter than the interval (a 20 s session at socket.io's default 25 s sees none, and that is healthy).
  // A ping due at the very end of the session may still be in flight: the check waits a grace period for it.
  const duePings = Math.floor(length / target.expect.pingInterval);
  const v = new VerdictBuilder(
    connectionLifetimeCheckName,
    hop.name,
    `a websocket session stays connected for ${length} ms with no disconnect and the ${duePings} server pings due in that time (pingInterval ${target.expect.pingInterval} ms)`,
  );
  await openLikeTheApp(ctx);
  const probe = newProbe(ctx, 0);
  const page = await probe.fetchAppPage();
  const beforeApp = failedBeforeApp(page, target);
  if (beforeApp) return v.fail(beforeApp.cause, beforeApp.observed);
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
    if (!dropped && session.pings() < duePings) {
      // The last due ping may be on its way: wait for it (never past the grace), then judge.
      const graceEnd = Date.now() + lifetimeGraceMs(target);
      while (session.pings() < duePings && Date.now() < graceEnd && session.socket.connected) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    v.attach(textEvidence('socket.io-client timeline', formatTimeline(session.timeline)));
    if (dropped) {
      const cause = dropCause(dropped);
      return v.fail(
        cause,
        `the websocket dropped after ${aliveMs} ms ("${dropped}") with ${session.pings()} pings exchanged, short of the declared ${length} ms session: something on the path caps the connection's lifetime or idle time`,
      );
    }
    if (session.pings() < duePings) {
      return v.fail(
        'protocol-mismatch',
        `stayed up ${aliveMs} ms but saw only ${session.pings()} of the ${duePings} pings due at pingInterval ${target.expect.pingInterval} ms: the server's heartbeat does not flow (a buffering proxy, or another pingInterval than declared)`,
      );
    }
    return v.pass(
      `stayed up ${aliveMs} ms on websocket with ${session.pings()} pings (${duePings} due at pingInterval ${target.expect.pingInterval} ms), no disconnect`,
    );
  } finally {
    session.close();
  }
}
