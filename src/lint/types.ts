/**
 * What the linter produces: findings, each pinned to a file, line and column, with the rule that raised it. The
 * severity is the finding's own (a rule may raise an info where its usual finding is an error, e.g. a Service
 * affinity that is ignored but harmless); the rule catalogue (rules.ts) holds the default, meaning and sources.
 */

export const severities = ['error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

/** Higher is worse: how `--fail-on` compares. */
export const severityRank: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** 1-based line and column (columns count UTF-16 code units, as SARIF's default `columnKind` does). */
export interface Position {
  file: string;
  line: number;
  column: number;
}

export interface Finding extends Position {
  rule: string;
  severity: Severity;
  /** What is wrong here, naming the object or directive. */
  message: string;
  /** The fix (fixes/<id>.yaml) that repairs this finding, when one applies to it. */
  fix?: string;
}

/** A file that cannot be linted at all (missing, unreadable, not YAML, not nginx syntax): exit code 2. */
export class LintInputError extends Error {}

/** Settings a run judges against: the session the target promises and the Socket.IO timers. */
export interface LintOptions {
  /** How long a session must survive (BackendConfig timeoutSec must cover it). Default 3600 (Theia). */
  sessionSeconds: number;
  /** Engine.IO pingInterval / pingTimeout in ms (Theia: 30000 / 60000). */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Socket.IO paths to look for in nginx configs; empty = guessed from the config (socketio-locations.ts). */
  socketPaths: string[];
  /** Health path the load balancer checks; empty = taken from the manifests of the run. */
  healthPaths: string[];
}

export const defaultLintOptions: LintOptions = {
  sessionSeconds: 3600,
  // eclipse-theia/theia packages/core/src/node/messaging/websocket-endpoint.ts: pingInterval 30000, pingTimeout 60000.
  pingIntervalMs: 30_000,
  pingTimeoutMs: 60_000,
  socketPaths: [],
  healthPaths: [],
};
