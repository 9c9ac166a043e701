/**
 * Why sessions failed under load: the failures are grouped by what the client saw (phase, HTTP status, Engine.IO
 * code, message), and each group is diagnosed ONCE, after the load, by the checks' own diagnosis (one client, one
 * request after another), so the same fault gets the same cause on every run and no cause logic lives here:
 *   - a page that failed → diagnoseExchange (diagnose.ts);
 *   - a polling-first connect that failed → the websocket-upgrade check's replay (explainPollingFailure);
 *   - a websocket-only connect that failed → the websocket-upgrade check itself (as the lifetime check does);
 *   - a session that did not end on websocket → diagnoseUpgradeFailure, `upgrade-blocked` when it does not
 *     reproduce (as the websocket-upgrade check concludes);
 *   - a session dropped mid-way by an HTTP error on polling → the polling replay; else the lifetime check's dropCause;
 *   - a session answered by two replicas → that observation is the affinity failure itself.
 */
import type { CauseId } from '../causes/catalogue';
import { engineIoCodes } from '../causes/engineio-codes';
import { dropCause } from '../checks/connection-lifetime';
import type { CheckContext } from '../checks/context';
import { diagnoseExchange } from '../checks/diagnose';
import { diagnoseUpgradeFailure } from '../checks/diagnose-upgrade';
import { explainPollingFailure, websocketUpgradeCheck } from '../checks/websocket-upgrade';
import type { Exchange } from '../probes/http';
import type { FailurePhase, SessionFailure, SessionOutcome } from './session';

export interface FailureKind {
  phase: FailurePhase;
  /** The client's message with its numbers blanked (so "after 1203 ms" and "after 988 ms" are one kind). */
  message: string;
  status?: number;
  eioCode?: number;
  websocket: boolean;
  /** Sessions that met this kind at least once. */
  sessions: number;
  occurrences: number;
  cause: CauseId;
  /** What the follow-up questions observed (the checks' own words). */
  diagnosis: string;
  /** The Engine.IO code the follow-up questions met, when the client itself saw none (a refused upgrade hides it). */
  replayedEioCode?: number;
}

/**
 * How an error is named in "errors by code": the Engine.IO code the client saw, else the one the diagnosis met when
 * it replayed the failure (marked so), else the HTTP status.
 */
export function codeLabel(f: { status?: number; eioCode?: number; replayedEioCode?: number }): string {
  const name = (code: number) => `Engine.IO ${code} ${engineIoCodes[code]?.message ?? ''}`.trim();
  if (f.eioCode !== undefined) return name(f.eioCode);
  const http = f.status !== undefined ? `HTTP ${f.status}` : 'no HTTP answer';
  if (f.replayedEioCode !== undefined) return `${http}, replayed: ${name(f.replayedEioCode)}`;
  return http;
}

const kindKey = (f: SessionFailure) =>
  [f.phase, f.websocket, f.status ?? '', f.eioCode ?? '', f.message.replace(/\d+/g, 'N')].join('|');

export async function diagnoseFailures(ctx: CheckContext, outcomes: SessionOutcome[]): Promise<FailureKind[]> {
  const groups = new Map<string, { first: SessionFailure; page?: Exchange; sessions: Set<number>; occurrences: number }>();
  for (const o of outcomes) {
    for (const f of o.record.failures) {
      const key = kindKey(f);
      const g = groups.get(key) ?? { first: f, page: f.phase === 'page' ? o.pageExchange : undefined, sessions: new Set(), occurrences: 0 };
      g.sessions.add(o.record.index);
      g.occurrences++;
      groups.set(key, g);
    }
  }
  const kinds: FailureKind[] = [];
  // One group after another: each diagnosis is one client's sequence of requests, never two at once.
  for (const g of [...groups.values()].sort((a, b) => b.sessions.size - a.sessions.size)) {
    const { cause, observed } = await diagnoseOne(ctx, g.first, g.page);
    kinds.push({
      phase: g.first.phase,
      message: g.first.message.replace(/\d+ ms/g, 'N ms'),
      status: g.first.status,
      eioCode: g.first.eioCode,
      websocket: g.first.websocket,
      sessions: g.sessions.size,
      occurrences: g.occurrences,
      cause,
      diagnosis: observed,
      replayedEioCode: g.first.eioCode === undefined ? firstEioCode(observed) : undefined,
    });
  }
  return kinds;
}

/** The first Engine.IO code a diagnosis quotes (describeEngineIoError's words, or a JSON error body). */
function firstEioCode(text: string): number | undefined {
  const m = /Engine\.IO code (\d+)|\\?"code\\?":(\d+)/.exec(text);
  const code = m?.[1] ?? m?.[2];
  return code === undefined ? undefined : Number(code);
}

async function diagnoseOne(ctx: CheckContext, f: SessionFailure, page?: Exchange): Promise<{ cause: CauseId; observed: string }> {
  switch (f.phase) {
    case 'page': {
      if (!page) return { cause: 'unexpected-response', observed: f.message };
      return diagnoseExchange(page, ctx.target);
    }
    case 'connect': {
      if (f.websocket) {
        const v = await websocketUpgradeCheck(ctx);
        return v.ok
          ? { cause: 'unexpected-response', observed: `${f.message}; a websocket session opened alone afterwards works: the failure came with the load` }
          : { cause: v.cause ?? 'unexpected-response', observed: v.observed };
      }
      const [cause, observed] = await explainPollingFailure(ctx, f.message);
      return { cause, observed };
    }
    case 'upgrade': {
      const why = await diagnoseUpgradeFailure(ctx);
      return why ?? { cause: 'upgrade-blocked', observed: `${f.message}; the raw upgrade questions passed afterwards` };
    }
    case 'drop': {
      // Dropped by an HTTP error on a polling request: the polling replay of the upgrade check says why. A connection
      // closed under the session without an answer: the lifetime check's reading (cut on the path).
      if (f.status !== undefined) {
        const [cause, observed] = await explainPollingFailure(ctx, f.message);
        return { cause, observed };
      }
      return { cause: dropCause(f.message.replace(/^.*: /, '')), observed: f.message };
    }
    case 'echo':
      return { cause: 'unexpected-response', observed: f.message };
    case 'replica-switch':
      return { cause: 'session-affinity', observed: `${f.message}: the session's requests reached several replicas` };
  }
}
