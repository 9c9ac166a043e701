/** The sentences apply-fix and rollback print: field changes and the exact command that undoes an apply. */
import { formatDiff } from '../../k8s/diff';
import { describeRef, refOf } from '../../k8s/objects';
import { shortPath } from './backup';
import { defaultJournalDir } from './journal';
import type { PlannedChange } from './preflight';
import { contentDiff } from './restore';

/** Quotes for a POSIX shell only when needed, so the printed command can be pasted as it is. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Per object: `BackendConfig theia/x: .spec.timeoutSec: (absent) → 3600` (or `no change`). */
export function changeLines(planned: PlannedChange[]): string[] {
  return planned.map((c) => {
    const diffs = contentDiff(c.live, c.after);
    return `${describeRef(refOf(c.patch))}: ${diffs.length === 0 ? 'no change' : diffs.map(formatDiff).join(', ')}`;
  });
}

export function changeCount(planned: PlannedChange[]): number {
  return planned.reduce((n, c) => n + contentDiff(c.live, c.after).length, 0);
}

export interface RollbackCommandInput {
  backupFile: string;
  kubeconfig: string;
  context: string;
  journalDir: string;
  production: boolean;
}

/** Everything the rollback needs spelled out: the same kubeconfig and context, the journal dir when not the default. */
export function rollbackCommand(i: RollbackCommandInput): string {
  const args = ['npx', 'tsx', 'scripts/rollback.ts', shortPath(i.backupFile), '--kubeconfig', i.kubeconfig, '--context', i.context];
  if (i.journalDir !== defaultJournalDir) args.push('--journal-dir', i.journalDir);
  if (i.production) args.push('--allow-production', '--confirm-context', i.context);
  return args.map(shellQuote).join(' ');
}
