/**
 * Why a WebSocket upgrade failed, asked as two questions by ONE client, one request after another (the browser's
 * and socket.io-client's own attempts hide the HTTP answer of a refused upgrade):
 *   1. Does a NEW upgrade (transport=websocket, no sid) pass? If not, its refusal says why: Engine.IO code 3 when a
 *      proxy drops Upgrade/Connection, Forbidden for the cookie/origin/affinity questions of diagnose.ts.
 *   2. Does the upgrade of a POLLING session (what socket.io-client does after polling first) pass? It must reach
 *      the replica that made the sid: "Session ID unknown" there means no session affinity. Asked UPGRADE_TRIALS
 *      times, each a handshake then its upgrade: an even cycle, so a strict round robin cannot hide it.
 * Undefined when both pass: the failure was not reproduced outside the client that saw it.
 */
import { rawUpgrade } from '../probes/websocket';
import { parseEngineIoError } from '../causes/engineio-codes';
import { type CheckContext, newProbe } from './context';
import { type Diagnosis, diagnoseSocketFailure, servedFromCache, summarizeExchange } from './diagnose';

const UPGRADE_TRIALS = 3;

export async function diagnoseUpgradeFailure(ctx: CheckContext): Promise<Diagnosis | undefined> {
  const { target } = ctx;
  const probe = newProbe(ctx, 0);
  const page = await probe.fetchAppPage();
  if (page.error) return { cause: 'target-unreachable', observed: summarizeExchange(page) };

  const fresh = await rawUpgrade(probe, target);
  if (fresh.refused) {
    const cached = servedFromCache(fresh.refused);
    if (cached) return { cause: 'cdn-caching', observed: `a new upgrade was served from a cache (${cached}): ${summarizeExchange(fresh.refused)}` };
    if (fresh.refused.status === 200) {
      return { cause: 'upgrade-blocked', observed: `a new upgrade was answered 200 instead of 101: ${summarizeExchange(fresh.refused)}` };
    }
    const d = await diagnoseSocketFailure(probe, target.connectionCookie, fresh.refused);
    return { cause: d.cause, observed: `a new upgrade (no sid) was refused: ${d.observed}` };
  }
  if (fresh.status !== 101 || !fresh.open) {
    const hs = await probe.handshake();
    if (!hs.ok) {
      const d = await diagnoseSocketFailure(probe, target.connectionCookie, hs.exchange);
      return { cause: d.cause, observed: `a new upgrade got ${fresh.error ?? `status ${fresh.status}`}; the polling handshake: ${d.observed}` };
    }
    return { cause: 'upgrade-blocked', observed: `a new upgrade got ${fresh.error ?? `status ${fresh.status}`} while polling works` };
  }

  for (let i = 1; i <= UPGRADE_TRIALS; i++) {
    const hs = await probe.handshake();
    if (!hs.ok) {
      const d = await diagnoseSocketFailure(probe, target.connectionCookie, hs.exchange);
      return { cause: d.cause, observed: `a new upgrade passes; the polling handshake before an upgrade: ${d.observed}` };
    }
    const up = await rawUpgrade(probe, target, 5000, hs.open.sid);
    if (up.refused) {
      const eio = parseEngineIoError(up.refused.body);
      const unknown = eio?.code === 1 || up.refused.body.trim() === 'Session ID unknown';
      if (unknown) {
        return {
          cause: 'session-affinity',
          observed: `a new upgrade passes, but the upgrade of polling session ${hs.open.sid} (trial ${i}) was answered ${summarizeExchange(
            up.refused,
          )}: it reached a replica that does not know the sid (no session affinity)`,
        };
      }
      const d = await diagnoseSocketFailure(probe, target.connectionCookie, up.refused);
      return { cause: d.cause, observed: `the upgrade of a polling session was refused: ${d.observed}` };
    }
    if (up.status !== 101 || up.connectAnswer !== '3probe') {
      return { cause: 'upgrade-blocked', observed: `the upgrade of a polling session got ${up.error ?? `status ${up.status}`}` };
    }
  }
  return undefined;
}
