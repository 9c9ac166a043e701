/**
 * How a run ends, as exit codes a CI job or a wrapper script can branch on, and the errors that carry them.
 * The rule behind the codes: 2 always means "refused before any change", so a caller never has to check the
 * cluster after a 2.
 */
export const ExitCode = {
  ok: 0,
  /** Verification failed (rolled back), a restore failed, or an unexpected error (rolled back when it could). */
  failed: 1,
  /** Bad input or refused by a pre-flight check: nothing was changed. */
  refused: 2,
  /** An interrupted earlier apply was found and restored; nothing new was applied (run the command again). */
  recovered: 3,
  /** apply-fix --watch: a rollback rule fired during the watch; the fix was rolled back and the restore verified. */
  watchRolledBack: 4,
  /** apply-fix --watch: stopped by Ctrl-C/SIGTERM during the watch; the verified fix stays (no rule had fired). */
  watchStopped: 5,
  /** SIGINT (128 + 2) / SIGTERM (128 + 15): rolled back (or nothing had changed yet). */
  SIGINT: 130,
  SIGTERM: 143,
} as const;

/** Refused before any change (exit 2). The message is the one line the user sees. */
export class Refused extends Error {
  override name = 'Refused';
}

/** A signal arrived; thrown at the next step boundary (or out of an interruptible wait). */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`);
  }
}

/** Ended with a non-zero code after it already said why (verification failed, recovered, rolled back). */
export class Stop extends Error {
  override name = 'Stop';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** A one-line reason from anything thrown. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
