/**
 * One load session, as the app's frontend makes it: the page (for the app's connection cookie), then
 * socket.io-client on the app's namespace (polling first then the upgrade, or websocket only), then echo round
 * trips until the session's end. Theia answers `initialConnection <frontendId>` with the same id (the mock adds the
 * replica's name), so each echo is a timed round trip that also says which replica holds the session; any other
 * Socket.IO app (target `app: socket.io`) is asked `echo` with an acknowledgement, the plain test app's round trip.
 * Failures are recorded here, never diagnosed: diagnosis asks its questions after the load (src/load/diagnose.ts),
 * one client at a time, as the checks do, so the same fault gets the same cause on every run.
 */
import { parseEngineIoError } from '../causes/engineio-codes';
import { type CheckContext, newProbe, sessionAfter } from '../checks/context';
import { httpAnswer } from '../probes/sio-client';
import type { Exchange } from '../probes/http';

export type LoadTransport = 'auto' | 'websocket';

/** Where in a session something went wrong. */
export type FailurePhase = 'page' | 'connect' | 'upgrade' | 'echo' | 'drop' | 'replica-switch';

export interface SessionFailure {
  phase: FailurePhase;
  /** ms since the start of the run. */
  at: number;
  message: string;
  status?: number;
  /** Engine.IO error code, when the HTTP answer's body carried one. */
  eioCode?: number;
  /** A WebSocket failure for the seed's alert rule (a refused or dropped WebSocket, a failed upgrade). */
  websocket: boolean;
}

export interface SessionRecord {
  index: number;
  transport: LoadTransport;
  /** ms since the start of the run. */
  startedAt: number;
  connected: boolean;
  /** Page + handshake + namespace connect, ms. */
  connectMs?: number;
  /** ms from connect to the end of the upgrade (auto transport only). */
  upgradeMs?: number;
  /** The transport the session was on at its end (or when it dropped). */
  endedOn?: string;
  /** How long the session stayed connected, ms. */
  aliveMs: number;
  /** Replicas that answered this session, in order, each change recorded (one entry = it stayed on one replica). */
  replicas: string[];
  /** Echo round trips, ms. */
  latencies: number[];
  failures: SessionFailure[];
  /** With `reconnect`: each drop and how the session came back. */
  reconnects: Reconnect[];
}

/** A session that dropped and (with `reconnect`) came back: when, from which replica to which, how fast. */
export interface Reconnect {
  /** ms since the start of the run. */
  droppedAt: number;
  from?: string;
  to?: string;
  /** From the drop to the namespace connected again; undefined = never came back before the end of the run. */
  ms?: number;
  attempts: number;
  firstAttempt: number;
}

type ConnectionEnd = { end: 'ended' | 'dropped' | 'not-connected'; from?: string; page?: Exchange };

const RECONNECT_EVERY_MS = 250;

export interface SessionPlan {
  /** Come back after a drop, as the app's frontend does (failures during traffic); off for the load verdicts. */
  reconnect?: boolean;
  transport: LoadTransport;
  /** Epoch ms at which the run started (failure times are relative to it). */
  runStart: number;
  /**
   * Epoch ms at which this session ends (the end of the run)… Read on every echo: the run may set it only once every
   * session is open (LoadPlan.holdAfterOpenMs), on the one plan object all sessions share.
   */
  endAt: number;
  /**
   * …but never before it has been connected this long: a session that connects just before the end of the run must
   * still have the time to upgrade (the checks' own settle time), or "stayed on polling" would be a false alarm.
   */
  minHoldMs: number;
  echoEveryMs: number;
  /** An echo not answered within this is a failure. */
  echoTimeoutMs: number;
}

/** What the run's progress line counts while sessions are under way. */
export interface LiveCounters {
  started: number;
  /** Sessions that connected or failed to: the ramp is over when this reaches N. */
  settled: number;
  connected: number;
  active: number;
  /** The most sessions connected at once: "N concurrent sessions" is true only when this reached N. */
  peakActive: number;
  onWebsocket: number;
  failed: number;
  echoes: number;
}

/** Failures whose cause must be asked with a follow-up: the failed exchange of a page load, kept out of the JSON. */
export interface SessionOutcome {
  record: SessionRecord;
  pageExchange?: Exchange;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runLoadSession(
  ctx: CheckContext,
  index: number,
  plan: SessionPlan,
  live: LiveCounters,
): Promise<SessionOutcome> {
  const t0 = Date.now();
  const rel = () => Date.now() - plan.runStart;
  const record: SessionRecord = {
    index,
    transport: plan.transport,
    startedAt: t0 - plan.runStart,
    connected: false,
    aliveMs: 0,
    replicas: [],
    latencies: [],
    failures: [],
    reconnects: [],
  };
  const fail = (f: Omit<SessionFailure, 'at'>) => {
    if (record.failures.length === 0) live.failed++;
    record.failures.push({ at: rel(), ...f });
  };
  const seenReplica = (pod: unknown) => {
    if (typeof pod === 'string' && pod && record.replicas.at(-1) !== pod) record.replicas.push(pod);
  };
  live.started++;

  /** One connection of the session: the page, the connect, echoes until the end or a drop. */
  const connection = async (attempt: number, onConnected: (at: number) => void): Promise<ConnectionEnd> => {
    const first = attempt === 0;
    const probe = newProbe(ctx, index);
    const page = await probe.fetchAppPage();
    if (page.error || (page.status ?? 0) >= 400) {
      if (first) live.settled++;
      fail({
        phase: 'page',
        message: page.error ?? `app page answered ${page.status}`,
        status: page.status,
        eioCode: parseEngineIoError(page.body)?.code,
        websocket: false,
      });
      return { end: 'not-connected', page };
    }

    const transports: ('polling' | 'websocket')[] | undefined = plan.transport === 'websocket' ? ['websocket'] : undefined;
    const session = sessionAfter(ctx, probe, transports);
    // The echo in flight: its id, when it was sent, and what to wake when the answer (or a drop) comes.
    let inFlight: { id: string; sent: number; done: () => void } | undefined;
    // `hello` arrives with the namespace connect; each echo answer names the replica again.
    const connectionReplicas = new Set<string>();
    const seen = (pod: unknown) => {
      if (typeof pod === 'string' && pod) connectionReplicas.add(pod);
      seenReplica(pod);
    };
    session.socket.on('hello', (msg: { pod?: unknown } | undefined) => seen(msg?.pod));
    const answered = (id: unknown) => {
      if (inFlight && id === inFlight.id) {
        record.latencies.push(performance.now() - inFlight.sent);
        live.echoes++;
        const { done } = inFlight;
        inFlight = undefined;
        done();
      }
    };
    session.socket.on('initialConnection', (msg: { frontendId?: unknown; pod?: unknown } | undefined) => {
      seen(msg?.pod);
      answered(msg?.frontendId);
    });
    const ackEcho = ctx.target.app === 'socket.io';
    const sendEcho = (id: string) =>
      ackEcho ? session.socket.emit('echo', id, (back: unknown) => answered(back)) : session.socket.emit('initialConnection', id);

    const connected = await session.connected;
    if (first) live.settled++;
    if (!connected.ok) {
      fail({
        phase: 'connect',
        message: connected.error,
        status: connected.status,
        eioCode: connected.body === undefined ? undefined : parseEngineIoError(connected.body)?.code,
        websocket: plan.transport === 'websocket',
      });
      session.close();
      return { end: 'not-connected' };
    }
    const connectedAt = Date.now();
    onConnected(connectedAt);
    if (first) {
      record.connected = true;
      record.connectMs = connectedAt - t0;
      live.connected++;
    }
    live.active++;
    live.peakActive = Math.max(live.peakActive, live.active);
    const engine = session.socket.io.engine;
    if (engine.transport.name === 'websocket') live.onWebsocket++;
    engine.on('upgrade', () => {
      record.upgradeMs = Date.now() - connectedAt;
      live.onWebsocket++;
    });
    engine.on('upgradeError', (e: Error & { description?: unknown; context?: unknown }) => {
      const answer = httpAnswer(e);
      fail({ phase: 'upgrade', message: `upgradeError: ${e.message}`, status: answer.status, websocket: true });
    });
    let closing = false;
    let dropped: string | undefined;
    // The engine reports a transport's error (with the polling request's HTTP answer) just before the disconnect:
    // a session dropped by a 400 "Session ID unknown" must not read as a connection cut on the path.
    let lastError: { status?: number; body?: string } = {};
    engine.on('error', (e: string | Error) => {
      lastError = typeof e === 'string' ? {} : httpAnswer(e);
    });
    session.socket.on('disconnect', (reason: string) => {
      if (closing) return;
      dropped = reason;
      live.active--;
      inFlight?.done();
      const onWs = session.transport() === 'websocket' || record.upgradeMs !== undefined || plan.transport === 'websocket';
      record.endedOn = session.transport();
      fail({
        phase: 'drop',
        message: `disconnected after ${Date.now() - connectedAt} ms on ${record.endedOn ?? 'nothing'}: ${reason}`,
        status: lastError.status,
        eioCode: lastError.body === undefined ? undefined : parseEngineIoError(lastError.body)?.code,
        websocket: onWs,
      });
    });

    // Echoes start at a random offset inside the first interval, so N sessions do not echo in lockstep.
    await sleep(Math.random() * plan.echoEveryMs);
    let seq = 0;
    const endAt = () => Math.max(plan.endAt, connectedAt + plan.minHoldMs);
    while (Date.now() < endAt() && !dropped) {
      const id = `load-${index}-${attempt}-${seq++}`;
      const sentAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const ok = await new Promise<boolean>((resolve) => {
        inFlight = { id, sent: performance.now(), done: () => resolve(true) };
        timer = setTimeout(() => resolve(false), plan.echoTimeoutMs);
        sendEcho(id);
      });
      clearTimeout(timer);
      if (!ok) {
        inFlight = undefined;
        fail({ phase: 'echo', message: `an echo got no answer within ${plan.echoTimeoutMs} ms`, websocket: session.transport() === 'websocket' });
      }
      await sleep(Math.min(endAt() - Date.now(), sentAt + plan.echoEveryMs - Date.now()));
    }

    record.aliveMs += Date.now() - connectedAt;
    if (!dropped) record.endedOn = session.transport();
    // Held at least the upgrade's settle time (minHoldMs), a session still polling now was not upgraded.
    if (plan.transport === 'auto' && !dropped && record.endedOn !== 'websocket' && !record.failures.some((f) => f.phase === 'upgrade')) {
      // No upgradeError event and still polling: the upgrade was never even tried or silently swallowed.
      fail({ phase: 'upgrade', message: `stayed on ${record.endedOn ?? 'nothing'} for the whole session`, websocket: true });
    }
    if (connectionReplicas.size > 1) {
      fail({ phase: 'replica-switch', message: `answered by ${[...connectionReplicas].join(' and ')} within one connection`, websocket: false });
    }
    if (!dropped) live.active--;
    closing = true;
    session.close();
    return { end: dropped ? 'dropped' : 'ended', from: [...connectionReplicas].at(-1) };
  };

  let attempt = 0;
  let connectedOnce = false;
  for (;;) {
    const begun = Date.now();
    const pendingReconnect = record.reconnects.at(-1);
    const result = await connection(attempt, (at) => {
      connectedOnce = true;
      if (pendingReconnect && pendingReconnect.ms === undefined) {
        pendingReconnect.ms = at - (pendingReconnect.droppedAt + plan.runStart);
        pendingReconnect.attempts = attempt - pendingReconnect.firstAttempt + 1;
      }
    });
    if (result.page && !connectedOnce) return { record, pageExchange: result.page };
    if (pendingReconnect && pendingReconnect.ms !== undefined && pendingReconnect.to === undefined) {
      pendingReconnect.to = record.replicas.at(-1);
    }
    // Without reconnection (the default), one connection is the session. With it, as the app's frontend does, a
    // dropped session comes back at once, and a refused attempt is tried again every RECONNECT_EVERY_MS.
    if (!plan.reconnect || result.end === 'ended' || Date.now() >= plan.endAt) break;
    if (result.end === 'dropped') {
      record.reconnects.push({ droppedAt: rel(), from: result.from, attempts: 0, firstAttempt: attempt + 1 });
    } else if (!connectedOnce && !record.reconnects.length) {
      break; // the first connect failed: that is a connection failure, not a failure during traffic
    } else {
      await sleep(RECONNECT_EVERY_MS - (Date.now() - begun));
    }
    attempt++;
  }
  return { record };
}
