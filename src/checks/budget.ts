/**
 * How long each check may take on a target: the sum of the bounded waits the check itself makes (requests, the
 * session it holds, the browser's deadlines), plus a margin. Specs set the Playwright test timeout from this, so no
 * value a target file may hold (a 45 s session, 200 requests per client, a 30 s ping interval) can outlive a fixed
 * runner timeout and turn a healthy target red with "Test timeout exceeded". The constants below are the same ones
 * the checks use for their own waits (request timeout, socket.io-client connect timeout).
 */
import { REQUEST_TIMEOUT_MS } from '../probes/http';
import type { Target } from '../targets/target';

import type { CheckName } from './names';

export { REQUEST_TIMEOUT_MS };

/** socket.io-client connect timeout of the sessions the checks open (src/checks/context.ts). */
export const SIO_CONNECT_TIMEOUT_MS = 5_000;
/** Raw WebSocket upgrade: handshake and first frames (src/probes/websocket.ts). */
export const RAW_UPGRADE_TIMEOUT_MS = 5_000;
/** Requests a diagnosis may add after a failure (src/checks/diagnose.ts: page loads, handshakes, replays). */
export const DIAGNOSIS_REQUESTS = 24;
/** Room for the runner itself: fixtures, report attachments, a loaded machine. */
export const MARGIN_MS = 30_000;
/** Playwright's browser fixtures (launch, context, page) before the check starts. */
export const BROWSER_STARTUP_MS = 30_000;

const diagnosisMs = DIAGNOSIS_REQUESTS * REQUEST_TIMEOUT_MS;

/**
 * How long socket.io-client may take to move from polling to websocket after connecting. The upgrade probe starts
 * right after the open packet and does not wait for a ping, so a few round trips suffice; capped so a long
 * pingInterval cannot stretch it.
 */
export function upgradeSettleMs(t: Target): number {
  return Math.max(3000, Math.min(t.expect.pingInterval * 2, 10_000));
}

/** The websocket-upgrade check's worst case: page, raw upgrade, a handshake, the polling-first session, replays. */
function upgradeMs(t: Target): number {
  const settle = upgradeSettleMs(t);
  const replay = (2 + 12) * REQUEST_TIMEOUT_MS;
  return 2 * REQUEST_TIMEOUT_MS + RAW_UPGRADE_TIMEOUT_MS + SIO_CONNECT_TIMEOUT_MS + settle + replay + diagnosisMs;
}

/** How long the lifetime check holds its session: the declared length, plus one ping interval for a due ping. */
export function lifetimeHoldMs(t: Target): number {
  return t.sessionLengthMs + lifetimeGraceMs(t);
}

/** After the session length, a ping that is due (scheduled inside the session) may still be in flight. */
export function lifetimeGraceMs(t: Target): number {
  return Math.min(t.expect.pingInterval, t.expect.pingTimeout, 30_000) + 1000;
}

/** The browser check's own deadlines (src/checks/browser-terminal.ts), from the target. */
export function browserDeadlineMs(t: Target): number {
  return t.browser.deadlineMs ?? 8000;
}

/** Worst-case duration of one check on one hop of this target, without the margin. */
export function checkWorstCaseMs(t: Target, check: CheckName): number {
  switch (check) {
    case 'handshake':
      return 4 * REQUEST_TIMEOUT_MS + diagnosisMs;
    case 'session-continuity':
      // Clients run in parallel; each makes a page load, a handshake and up to 2 requests per counted request.
      return (2 + 2 * (t.continuity.requestsPerClient + 2)) * REQUEST_TIMEOUT_MS + diagnosisMs;
    case 'websocket-upgrade':
      return upgradeMs(t);
    case 'connection-lifetime':
      return REQUEST_TIMEOUT_MS + SIO_CONNECT_TIMEOUT_MS + lifetimeHoldMs(t) + upgradeMs(t);
    case 'health':
      return REQUEST_TIMEOUT_MS;
    case 'browser-terminal':
      // Navigation, upgrade, ready, terminal opened, the echo: each waits at most one deadline; then a replay.
      // Then the page stays in use for the session length (a cap on the connection's lifetime shows there).
      return BROWSER_STARTUP_MS + 6 * browserDeadlineMs(t) + t.sessionLengthMs + diagnosisMs;
  }
}

/** The Playwright timeout for one check's test on this target. */
export function checkTimeoutMs(t: Target, check: CheckName): number {
  return checkWorstCaseMs(t, check) + MARGIN_MS;
}

/** Every check on every hop as runAllChecks runs them (hops in parallel, checks one after another). */
export function allChecksTimeoutMs(t: Target, checksOf: (hop: Target['hops'][number]) => CheckName[]): number {
  const perHop = t.hops.map((hop) => checksOf(hop).reduce((sum, check) => sum + checkWorstCaseMs(t, check), 0));
  return Math.max(0, ...perHop) + MARGIN_MS;
}

/** No single check's test may be given more than this: a CI run has 90 minutes for everything. */
export const RUNNER_CAP_MS = 30 * 60_000;
