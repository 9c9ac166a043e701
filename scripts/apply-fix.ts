/**
 * Applies one fix (fixes/<id>.yaml) to a cluster, safely: pre-flight, backup, server-side apply, verification,
 * automatic rollback. See docs/apply-and-rollback.md.
 *
 *   npx tsx scripts/apply-fix.ts backendconfig-timeout --kubeconfig K [--context C] [--namespace N] [--dry-run]
 *        [--watch 10m [--watch-interval 30s] [--watch-target T] [--watch-sessions 4]]   (src/fixes/watch/)
 *
 * Exit codes: 0 applied and verified (or nothing to change, or a dry run); 1 verification failed and rolled back
 * (or a rollback failed: read the message); 2 bad input or refused, nothing changed; 3 an interrupted earlier
 * apply was restored, nothing new applied; 4 the watch's rule fired, rolled back (restore verified); 5 the watch was
 * ended by SIGINT/SIGTERM, the verified fix stays; 130/143 interrupted by SIGINT/SIGTERM, rolled back.
 */
import { runScript } from '../src/fixes/engine/cli';
import { parseApplyArgs, APPLY_USAGE } from '../src/fixes/engine/options';
import { runApplyFix } from '../src/fixes/engine/run-apply';

await runScript('apply-fix', parseApplyArgs, APPLY_USAGE, runApplyFix);
