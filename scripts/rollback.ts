/**
 * Restores the objects an apply-fix changed, exactly as its backup holds them, and proves it by reading them
 * back. See docs/apply-and-rollback.md.
 *
 *   npx tsx scripts/rollback.ts .cache/backups/<stamp>-<fix>-<id>.json [--kubeconfig K] [--context C]
 *
 * The kubeconfig and context default to the ones the backup was taken with. Exit codes: 0 restored and
 * verified; 1 the restore failed or left differences (run it again); 2 bad input or refused, nothing changed;
 * 130/143 a signal arrived during the restore (it was finished first).
 */
import { parseRollbackArgs, ROLLBACK_USAGE } from '../src/fixes/engine/options';
import { ExitCode, oneLine } from '../src/fixes/engine/outcome';
import { InterruptGate } from '../src/fixes/engine/interrupt';
import { consoleOutput } from '../src/fixes/engine/progress';
import { runRollback } from '../src/fixes/engine/run-rollback';

let code: number;
try {
  const opts = parseRollbackArgs(process.argv.slice(2));
  if (opts === 'help') {
    console.log(ROLLBACK_USAGE);
    code = ExitCode.ok;
  } else {
    const gate = new InterruptGate(consoleOutput).install();
    code = await runRollback(opts, consoleOutput, gate);
    gate.uninstall();
  }
} catch (e) {
  console.error(`rollback: ${oneLine(e)}`);
  code = ExitCode.refused;
}
process.exit(code);
