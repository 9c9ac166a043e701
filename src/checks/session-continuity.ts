/**
 * Session continuity (affinity): several clients, each from its own source address, each doing a handshake and
 * then at least `requestsPerClient` requests on its sid. Every request must be answered at once: a GET long-poll
 * would wait up to a ping interval, so each GET follows a POST of a namespace CONNECT, which the server answers
 * immediately (CONNECT, or CONNECT_ERROR for a namespace it does not have). Each round uses a new namespace: a
 * second CONNECT to the same one is a protocol error that makes socket.io close the session. One 400 "Session ID unknown" is a failure: in the field it is intermittent.
 */
import { type EngineIoProbe, decodePayload, namespaceConnectPacket, packetSeparator } from '../probes/engineio';
import type { Exchange } from '../probes/http';
import type { Verdict } from '../verdict';
import { REQUEST_TIMEOUT_MS } from './budget';
import { type CheckContext, newProbe } from './context';
import { type Diagnosis, diagnoseSocketFailure, servedFromCache, summarizeExchange } from './diagnose';
import { VerdictBuilder, exchangesEvidence } from './evidence';

export const sessionContinuityCheckName = 'session-continuity';

interface ClientOutcome {
  index: number;
  requests: number;
  replicas: string[];
  failure?: Diagnosis;
  /** A failed exchange whose cause is asked after every client has finished (see diagnose.ts: one client at a time). */
  undiagnosed?: Exchange;
}

async function runClient(ctx: CheckContext, probe: EngineIoProbe, index: number): Promise<ClientOutcome> {
  const { target } = ctx;
  const outcome: ClientOutcome = { index, requests: 0, replicas: [] };
  const seen = (ex: Exchange) => {
    outcome.requests++;
    if (ex.replica && outcome.replicas.at(-1) !== ex.replica) outcome.replicas.push(ex.replica);
  };
  const fail = async (ex: Exchange, why?: string): Promise<ClientOutcome> => {
    if (why) outcome.failure = { cause: 'unexpected-response', observed: why };
    else outcome.undiagnosed = ex;
    return outcome;
  };
  const page = await probe.fetchAppPage();
  seen(page);
  if (page.error) return fail(page);
  const hs = await probe.handshake();
  seen(hs.exchange);
  if (!hs.ok) return fail(hs.exchange);
  // The server pings every pingInterval and closes a session whose client does not answer within pingTimeout:
  // a probe that ignored pings would itself cause the "Session ID unknown" it looks for.
  let pongDue = false;
  for (let round = 0; outcome.requests < target.continuity.requestsPerClient + 2; round++) {
    const ns = round === 0 ? target.expect.namespace : `/socketproof-continuity-${round}`;
    const connect = namespaceConnectPacket(ns);
    const post = await probe.post(pongDue ? `3${packetSeparator}${connect}` : connect);
    pongDue = false;
    seen(post);
    if (post.status !== 200 || post.body !== 'ok') return fail(post);
    // The CONNECT answer is queued, so this GET must come back at once, well before a ping interval.
    let poll = await probe.poll(REQUEST_TIMEOUT_MS);
    seen(poll);
    // A ping flushed on its own may come just before the CONNECT answer: pong, and poll once more.
    if (poll.status === 200 && decodePayload(poll.body).every((p) => p === '2' || p === '6')) {
      const pong = await probe.post('3');
      seen(pong);
      if (pong.status !== 200) return fail(pong);
      poll = await probe.poll(REQUEST_TIMEOUT_MS);
      seen(poll);
    }
    if (poll.status !== 200) return fail(poll);
    const cached = servedFromCache(poll);
    if (cached) {
      outcome.failure = {
        cause: 'cdn-caching',
        observed: `client ${index}: a poll on its sid was answered by a cache (${cached}): ${summarizeExchange(poll)}`,
      };
      return outcome;
    }
    const packets = decodePayload(poll.body);
    pongDue = packets.includes('2');
    if (packets.some((p) => p.startsWith('0{'))) {
      outcome.failure = {
        cause: 'cdn-caching',
        observed: `client ${index}: a poll on its sid got an open packet again (${summarizeExchange(poll)}): a cache ignores the query string`,
      };
      return outcome;
    }
    if (!packets.some((p) => p.startsWith('40') || p.startsWith('44'))) {
      return fail(poll, `client ${index}: a poll after a namespace CONNECT did not carry its answer: ${summarizeExchange(poll)}`);
    }
  }
  return outcome;
}

export async function sessionContinuityCheck(ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const { clients, requestsPerClient } = target.continuity;
  const v = new VerdictBuilder(
    sessionContinuityCheckName,
    hop.name,
    `${clients} clients, each a handshake then ≥ ${requestsPerClient} requests on its sid, every one answered at once without an error`,
  );
  const probes = Array.from({ length: clients }, (_, i) => newProbe(ctx, i));
  const outcomes = await Promise.all(probes.map((p, i) => runClient(ctx, p, i)));
  // Only now, with no other client of this check in flight, are the follow-up questions asked: their answers must
  // not depend on how the other clients' requests interleaved with them at the load balancer.
  const firstFailed = outcomes.find((o) => o.failure || o.undiagnosed);
  if (firstFailed && !firstFailed.failure && firstFailed.undiagnosed) {
    const o = firstFailed;
    const d = await diagnoseSocketFailure(probes[o.index] as EngineIoProbe, target.connectionCookie, firstFailed.undiagnosed);
    o.failure = { cause: d.cause, observed: `client ${o.index} request ${o.requests}: ${d.observed}` };
  }
  v.attach(exchangesEvidence('requests (every client)', probes.flatMap((p) => p.http.exchanges)));
  const failures = outcomes.filter((o) => o.failure || o.undiagnosed);
  const replicaNote = (o: ClientOutcome) => (o.replicas.length > 0 ? ` [replicas answering in turn: ${o.replicas.join(' → ')}]` : '');
  const first = firstFailed;
  if (first?.failure) {
    return v.fail(
      first.failure.cause,
      `${failures.length}/${clients} clients failed; ${first.failure.observed}${replicaNote(first)}`,
    );
  }
  const total = outcomes.reduce((n, o) => n + o.requests, 0);
  const stuck = outcomes.map((o) => o.replicas.length <= 1);
  // How the clients spread: affinity is only shown across replicas when they did not all land on one (an ip_hash
  // keyed on 127.0.0.x would put every loopback client on one pod and pass for nothing).
  const perReplica = new Map<string, number>();
  for (const o of outcomes) for (const r of new Set(o.replicas)) perReplica.set(r, (perReplica.get(r) ?? 0) + 1);
  const spread = [...perReplica].sort().map(([r, n]) => `${r} ${n}`).join(', ');
  return v.pass(
    `${clients} clients, ${total} requests, 0 errors${stuck.every(Boolean) && outcomes[0]?.replicas.length ? '; each client stayed on one replica' : ''}${
      spread ? ` (clients per replica: ${spread})` : ''
    }`,
  );
}
