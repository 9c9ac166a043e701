/**
 * Handshake: after the first GET of the app page (which hands out Theia's connection cookie), the Engine.IO
 * handshake answers 200 with an open packet carrying the protocol values the target declares. Two independent
 * clients must get two different sessions: identical sids mean a cache answered for the app.
 */
import type { OpenPacket } from '../probes/engineio';
import type { Verdict } from '../verdict';
import type { CheckContext } from './context';
import { newProbe } from './context';
import { diagnoseSocketFailure, failedBeforeApp, servedFromCache } from './diagnose';
import { VerdictBuilder, exchangesEvidence } from './evidence';

export const handshakeCheckName = 'handshake';

export async function handshakeCheck(ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const e = target.expect;
  const v = new VerdictBuilder(
    handshakeCheckName,
    hop.name,
    `GET ${target.socketPath}?EIO=${e.eio}&transport=polling → 200 open packet with a sid, upgrades ⊇ [websocket], pingInterval ${e.pingInterval}, pingTimeout ${e.pingTimeout}, maxPayload ${e.maxPayload}; a distinct sid per client`,
  );
  const probes = [newProbe(ctx, 0), newProbe(ctx, 1)];
  const opens: OpenPacket[] = [];
  return v.conclude(async () => {
    for (const probe of probes) {
      const page = await probe.fetchAppPage();
      const beforeApp = failedBeforeApp(page, target);
      if (beforeApp) return v.fail(beforeApp.cause, beforeApp.observed);
      const result = await probe.handshake();
      if (!result.ok) {
        const d = await diagnoseSocketFailure(probe, target.connectionCookie, result.exchange);
        return v.fail(d.cause, d.observed);
      }
      const cached = servedFromCache(result.exchange);
      if (cached) return v.fail('cdn-caching', `the handshake was served from a cache (${cached})`);
      opens.push(result.open);
    }
    const [a, b] = opens as [OpenPacket, OpenPacket];
    if (a.sid === b.sid) {
      return v.fail('cdn-caching', `two independent clients got the same sid ${a.sid}: a cache answers the handshake`);
    }
    // Every client must see the values the target declares (or the run learned from the first handshake): a
    // replica configured differently from the others shows up here, not as a mystery later.
    const wrong: string[] = [];
    opens.forEach((o, i) => {
      const client = opens.length > 1 ? `client ${i}: ` : '';
      if (!o.upgrades.includes('websocket')) wrong.push(`${client}upgrades ${JSON.stringify(o.upgrades)} lacks websocket`);
      if (o.pingInterval !== e.pingInterval) wrong.push(`${client}pingInterval ${o.pingInterval} ≠ ${e.pingInterval}`);
      if (o.pingTimeout !== e.pingTimeout) wrong.push(`${client}pingTimeout ${o.pingTimeout} ≠ ${e.pingTimeout}`);
      if (o.maxPayload !== e.maxPayload) wrong.push(`${client}maxPayload ${o.maxPayload} ≠ ${e.maxPayload}`);
    });
    if (wrong.length > 0) {
      // No websocket in upgrades means the server itself disabled the transport: the upgrade can never happen.
      const cause = opens.every((o) => o.upgrades.includes('websocket')) ? 'protocol-mismatch' : 'upgrade-blocked';
      return v.fail(cause, `open packet ${JSON.stringify({ ...a, sid: '…' })}: ${wrong.join('; ')}`);
    }
    return v.pass(`200 open packet ${JSON.stringify({ ...a, sid: '…' })}; 2 clients, 2 distinct sids`);
  }, () => {
    v.attach(exchangesEvidence('handshake requests', probes.flatMap((p) => p.http.exchanges)));
  });
}
