/**
 * Applies one fix (fixes/<id>.yaml) to a cluster, safely: pre-flight, backup, server-side apply, verification,
 * automatic rollback. See docs/apply-and-rollback.md.
 *
 *   npx tsx scripts/apply-fix.ts backendconfig-timeout --kubeconfig K [--context C] [--namespace N] [--dry-run]
 *
 * Exit codes: 0 applied and verified (or nothing to change, or a dry run); 1 verification failed and rolled back
 * (or a rollback failed: read the message); 2 bad input or refused, nothing changed; 3 an interrupted earlier
 * apply was restored, nothing new applied; 130/143 interrupted by SIGINT/SIGTERM, rolled back.
 */
import { APPLY_USAGE, parseApplyArgs } from '../src/fixes/engine/options';
import { ExitCode, oneLine } from '../src/fixes/engine/outcome';
import { InterruptGate } from '../src/fixes/engine/interrupt';
import { consoleOutput } from '../src/fixes/engine/progress';
import { runApplyFix } from '../src/fixes/engine/run-apply';

let code: number;
try {
  const opts = parseApplyArgs(process.argv.slice(2));
  if (opts === 'help') {
    console.log(APPLY_USAGE);
    code = ExitCode.ok;
  } else {
    const gate = new InterruptGate(consoleOutput).install();
    code = await runApplyFix(opts, consoleOutput, gate);
    gate.uninstall();
  }
} catch (e) {
  console.error(`apply-fix: ${oneLine(e)}`);
  code = ExitCode.refused;
}
process.exit(code);
