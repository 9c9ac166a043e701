/**
 * WebSocket upgrade, in two parts that fail differently in the field:
 *  1. a raw upgrade (transport=websocket) answers 101, sends the open packet and connects the namespace;
 *  2. socket.io-client with default transports (polling first, like Theia's frontend) ENDS on websocket.
 * A client stuck on polling is a failure, not a pass: it "works" until affinity is also missing.
 */
import type { CauseId } from '../causes/catalogue';
import { namespaceConnectPacket } from '../probes/engineio';
import { formatTimeline } from '../probes/sio-client';
import { rawUpgrade } from '../probes/websocket';
import type { Verdict } from '../verdict';
import { REQUEST_TIMEOUT_MS, upgradeSettleMs } from './budget';
import { type CheckContext, newProbe, sessionAfter } from './context';
import { diagnoseSocketFailure, failedBeforeApp, servedFromCache, summarizeExchange } from './diagnose';
import { diagnoseUpgradeFailure } from './diagnose-upgrade';
import { VerdictBuilder, exchangesEvidence, textEvidence } from './evidence';

export const websocketUpgradeCheckName = 'websocket-upgrade';

export async function websocketUpgradeCheck(ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const ns = target.expect.namespace;
  const v = new VerdictBuilder(
    websocketUpgradeCheckName,
    hop.name,
    `raw upgrade → 101 and namespace ${ns} connects; socket.io-client (polling first) connects ${ns} and ends on websocket`,
  );
  const probe = newProbe(ctx, 0);
  const page = await probe.fetchAppPage();
  const beforeApp = failedBeforeApp(page, target);
  if (beforeApp) return v.fail(beforeApp.cause, beforeApp.observed);

  const raw = await rawUpgrade(probe, target);
  v.attach(textEvidence('raw upgrade frames', [`status ${raw.status ?? '-'}`, ...raw.frames, raw.error ?? ''].join('\n')));
  const uninformative = !raw.refused ? raw.status !== 101 : (raw.refused.status ?? 0) >= 500;
  if (uninformative) {
    // No answer (or a proxy's 502) says nothing about why: a server ignores upgrades on paths it does not serve.
    // The polling handshake on the same path tells a wrong path or a refusal apart from a blocked upgrade.
    const hs = await probe.handshake();
    if (!hs.ok) {
      const d = await diagnoseSocketFailure(probe, target.connectionCookie, hs.exchange);
      const got = raw.refused ? summarizeExchange(raw.refused) : (raw.error ?? 'no answer');
      return v.fail(d.cause, `raw upgrade: ${got}; the polling handshake on the same path: ${d.observed}`);
    }
  }
  if (raw.refused) {
    v.attach(exchangesEvidence('refused upgrade', [raw.refused]));
    const d = await diagnoseSocketFailure(probe, target.connectionCookie, raw.refused);
    // A 200 to an upgrade request means something answered it as plain HTTP: a cache, or a proxy without Upgrade.
    if (raw.refused.status === 200 && d.cause !== 'cdn-caching') {
      return v.fail('upgrade-blocked', `upgrade answered 200 instead of 101: ${summarizeExchange(raw.refused)}`);
    }
    return v.fail(d.cause, `raw upgrade refused: ${d.observed}`);
  }
  if (raw.status !== 101 || !raw.open) {
    return v.fail('upgrade-blocked', `raw upgrade: status ${raw.status ?? 'none'}, ${raw.error ?? 'no open packet'}`);
  }
  if (!raw.connectAnswer?.startsWith('40')) {
    return v.fail('unexpected-response', `raw upgrade: namespace ${ns} answered ${raw.connectAnswer ?? raw.error}`);
  }

  const session = sessionAfter(ctx, probe);
  try {
    const connected = await session.connected;
    if (!connected.ok) {
      v.attach(textEvidence('socket.io-client timeline', formatTimeline(session.timeline)));
      session.close();
      return v.fail(...(await explainPollingFailure(ctx, connected.error)));
    }
    // The upgrade is attempted right after the open; give it a few round trips, never a fixed sleep.
    const deadline = Date.now() + upgradeSettleMs(target);
    while (session.transport() !== 'websocket' && Date.now() < deadline && session.socket.connected) {
      await new Promise((r) => setTimeout(r, 25));
    }
    v.attach(textEvidence('socket.io-client timeline', formatTimeline(session.timeline)));
    if (session.transport() !== 'websocket') {
      const upgradeError = session.timeline.find((t) => t.event === 'upgradeError');
      const seen = `socket.io-client connected but stayed on ${session.transport() ?? 'nothing'}${
        upgradeError ? ` (upgradeError: ${upgradeError.detail})` : ''
      }: the upgrade was silently refused, the app falls back to polling`;
      // Why the probe was refused is asked raw, with the client closed so that only the replay's requests count.
      session.close();
      const why = await diagnoseUpgradeFailure(ctx);
      return v.fail(why?.cause ?? 'upgrade-blocked', why ? `${seen}; ${why.observed}` : seen);
    }
    return v.pass(`raw upgrade 101, ${ns} connected; socket.io-client upgraded polling → websocket`);
  } finally {
    session.close();
  }
}

/**
 * socket.io-client hides the HTTP answer behind "xhr poll error"; replay the same steps raw to see the status
 * and the Engine.IO code, so the verdict names the cause instead of the symptom.
 */
export async function explainPollingFailure(
  ctx: CheckContext,
  clientError: string,
): Promise<[CauseId, string]> {
  const probe = newProbe(ctx, 0);
  await probe.fetchAppPage();
  const hs = await probe.handshake();
  if (!hs.ok) {
    const d = await diagnoseSocketFailure(probe, ctx.target.connectionCookie, hs.exchange);
    return [d.cause, `socket.io-client: ${clientError}; replayed raw: ${d.observed}`];
  }
  // A cached handshake hands out a sid some other client got (and maybe from another replica): asked before the
  // sid is used, or its "Session ID unknown" would read as missing affinity.
  const other = newProbe(ctx, 1);
  await other.fetchAppPage();
  const again = await other.handshake();
  if (again.ok && again.open.sid === hs.open.sid) {
    return ['cdn-caching', `socket.io-client: ${clientError}; replayed raw: two independent handshakes got the same sid ${hs.open.sid}: a cache answers the handshake`];
  }
  for (let i = 0; i < 6; i++) {
    const ex = await probe.post(namespaceConnectPacket(ctx.target.expect.namespace));
    if (ex.status !== 200) {
      const d = await diagnoseSocketFailure(probe, ctx.target.connectionCookie, ex);
      return [d.cause, `socket.io-client: ${clientError}; replayed raw: ${d.observed}`];
    }
    const poll = await probe.poll(REQUEST_TIMEOUT_MS);
    if (poll.status !== 200) {
      const d = await diagnoseSocketFailure(probe, ctx.target.connectionCookie, poll);
      return [d.cause, `socket.io-client: ${clientError}; replayed raw: ${d.observed}`];
    }
    const cached = servedFromCache(poll);
    if (cached) return ['cdn-caching', `socket.io-client: ${clientError}; replayed raw: ${summarizeExchange(poll)}: ${cached}`];
  }
  return ['unexpected-response', `socket.io-client: ${clientError}; the same steps replayed raw succeeded`];
}
