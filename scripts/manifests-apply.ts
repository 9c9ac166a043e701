/**
 * Server-side apply of a folder of manifests to the current context, with apply-fix's pre-flight (see
 * src/fixes/engine/apply-folder.ts), for a local cluster of your own:
 *
 *   npm run manifests:apply -- <broken|healthy|folder> [--kubeconfig K] [--context C] [--dry-run] [--force-conflicts]
 *        [--allow-production --confirm-context <context>]
 *
 * Exit codes: 0 applied (or a dry run); 1 failed while applying (read the message); 2 bad input or refused,
 * nothing changed.
 */
import { minimist } from 'zx';
import { runScript } from '../src/fixes/engine/cli';
import { Refused } from '../src/fixes/engine/outcome';
import { type ApplyFolderOptions, runApplyFolder } from '../src/fixes/engine/apply-folder';

const USAGE =
  'usage: manifests:apply <broken|healthy|folder> [--kubeconfig K] [--context C] [--dry-run] [--force-conflicts] [--allow-production --confirm-context <context>]';

function parse(argv: string[]): ApplyFolderOptions | 'help' {
  const strings = ['kubeconfig', 'context', 'confirm-context'];
  const args = minimist(argv, {
    string: strings,
    boolean: ['dry-run', 'force-conflicts', 'allow-production', 'help'],
    unknown: (arg: string) => {
      if (arg.startsWith('-')) throw new Refused(`unknown option ${arg} (${USAGE})`);
      return true;
    },
  });
  if (args.help) return 'help';
  for (const name of strings) if (args[name] === '') throw new Refused(`--${name} needs a value (${USAGE})`);
  if (args._.length !== 1) throw new Refused(args._.length === 0 ? `missing folder (${USAGE})` : `one folder expected, got: ${args._.join(' ')}`);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    folder: String(args._[0]),
    kubeconfig: str(args.kubeconfig),
    context: str(args.context),
    dryRun: args['dry-run'] === true,
    forceConflicts: args['force-conflicts'] === true,
    allowProduction: args['allow-production'] === true,
    confirmContext: str(args['confirm-context']),
  };
}

await runScript('manifests:apply', parse, USAGE, (opts) => runApplyFolder(opts));
