/**
 * Restores the objects an apply-fix changed, exactly as its backup holds them, and proves it by reading them
 * back. See docs/apply-and-rollback.md.
 *
 *   npx tsx scripts/rollback.ts .cache/backups/<stamp>-<fix>-<id>.json [--kubeconfig K] [--context C]
 *   npx tsx scripts/rollback.ts <fix-id>          the newest backup of that fix in .cache/backups/
 *
 * The kubeconfig and context default to the ones the backup was taken with. Exit codes: 0 restored and
 * verified; 1 the restore failed or left differences (run it again); 2 bad input or refused, nothing changed;
 * 130/143 a signal arrived during the restore (it was finished first).
 */
import { runScript } from '../src/fixes/engine/cli';
import { parseRollbackArgs, ROLLBACK_USAGE } from '../src/fixes/engine/options';
import { runRollback } from '../src/fixes/engine/run-rollback';

await runScript('rollback', parseRollbackArgs, ROLLBACK_USAGE, runRollback);
