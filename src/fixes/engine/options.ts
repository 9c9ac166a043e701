/**
 * The command lines of apply-fix and rollback, parsed strictly: an unknown option, a missing value or a stray
 * argument is bad input (exit 2) rather than silently ignored, because a mistyped --dry-run must never apply.
 */
import { minimist } from 'zx';
import { defaultBackupDir } from './backup';
import { defaultJournalDir } from './journal';
import { Refused } from './outcome';
import type { ClusterFlags, ProductionFlags } from './session';
import { parseWatchFlags, type WatchOptions } from '../watch/options';

export interface ApplyFixOptions extends ClusterFlags, ProductionFlags {
  fixId: string;
  dryRun: boolean;
  forceConflicts: boolean;
  backupDir: string;
  journalDir: string;
  fixesDir?: string;
  verifyTimeoutMs: number;
  /** After the verification, watch the traffic and roll back on the seed's rule (src/fixes/watch/). */
  watch?: WatchOptions;
}

export interface RollbackOptions extends ProductionFlags {
  backup: string;
  kubeconfig?: string;
  context?: string;
  journalDir: string;
}

export const APPLY_USAGE =
  'usage: apply-fix <fix-id> [--target local] [--kubeconfig K] [--context C] [--namespace N] [--dry-run] [--force-conflicts] [--verify-timeout <seconds>] [--watch <30s|10m|1h> [--watch-interval 30s] [--watch-target T] [--watch-sessions 4]] [--backup-dir D] [--journal-dir D] [--fixes-dir D] [--allow-production --confirm-context <context>]';
export const ROLLBACK_USAGE =
  'usage: rollback <backup.json | fix-id (its newest backup)> [--kubeconfig K] [--context C] [--journal-dir D] [--allow-production --confirm-context <context>]';

const commonStrings = ['kubeconfig', 'context', 'confirm-context', 'journal-dir'];
const commonBooleans = ['allow-production', 'help'];

function parse(argv: string[], strings: string[], booleans: string[], usage: string) {
  const args = minimist(argv, {
    string: strings,
    boolean: booleans,
    unknown: (arg: string) => {
      if (arg.startsWith('-')) throw new Refused(`unknown option ${arg} (${usage})`);
      return true;
    },
  });
  for (const name of strings) {
    if (str(args[name]) === '') throw new Refused(`--${name} needs a value (${usage})`);
  }
  return args;
}

/** A repeated option counts once, the last one winning (as kubectl does): wrappers append overrides. */
function str(value: unknown): string | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

function onePositional(args: { _: string[] }, what: string, usage: string): string {
  if (args._.length !== 1) throw new Refused(args._.length === 0 ? `missing ${what} (${usage})` : `one ${what} expected, got: ${args._.join(' ')}`);
  return String(args._[0]);
}

export function parseApplyArgs(argv: string[]): ApplyFixOptions | 'help' {
  const strings = [...commonStrings, 'namespace', 'target', 'backup-dir', 'fixes-dir', 'verify-timeout', 'watch', 'watch-interval', 'watch-target', 'watch-sessions'];
  const args = parse(argv, strings, [...commonBooleans, 'dry-run', 'force-conflicts'], APPLY_USAGE);
  if (args.help) return 'help';
  const timeout = Number(str(args['verify-timeout']) ?? 60);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Refused(`--verify-timeout must be a number of seconds above 0, got "${args['verify-timeout']}"`);
  const dryRun = args['dry-run'] === true;
  const watch = parseWatchFlags({
    watch: str(args.watch),
    interval: str(args['watch-interval']),
    target: str(args['watch-target']),
    sessions: str(args['watch-sessions']),
    dryRun,
  });
  return {
    fixId: onePositional(args, 'fix id', APPLY_USAGE),
    target: str(args.target) ?? 'local',
    kubeconfig: str(args.kubeconfig),
    context: str(args.context),
    namespace: str(args.namespace),
    dryRun,
    forceConflicts: args['force-conflicts'] === true,
    allowProduction: args['allow-production'] === true,
    confirmContext: str(args['confirm-context']),
    backupDir: str(args['backup-dir']) ?? defaultBackupDir,
    journalDir: str(args['journal-dir']) ?? defaultJournalDir,
    fixesDir: str(args['fixes-dir']),
    verifyTimeoutMs: timeout * 1000,
    watch,
  };
}

export function parseRollbackArgs(argv: string[]): RollbackOptions | 'help' {
  const args = parse(argv, commonStrings, commonBooleans, ROLLBACK_USAGE);
  if (args.help) return 'help';
  return {
    backup: onePositional(args, 'backup file', ROLLBACK_USAGE),
    kubeconfig: str(args.kubeconfig),
    context: str(args.context),
    allowProduction: args['allow-production'] === true,
    confirmContext: str(args['confirm-context']),
    journalDir: str(args['journal-dir']) ?? defaultJournalDir,
  };
}
