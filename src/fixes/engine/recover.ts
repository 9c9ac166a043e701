/**
 * Before doing anything, a run looks for journals of earlier applies to the same API server and namespace.
 * - One whose process is still alive: another apply-fix is working there now. Refused (exit 2): two applies
 *   interleaving their writes and backups could not be rolled back exactly.
 * - One whose process is dead: that apply was killed mid-way (SIGKILL, OOM, a lost terminal). It is restored
 *   from its backup, newest first, and the run STOPS (exit 3) without applying anything new: the kill may have
 *   been an operator aborting on purpose, so re-doing the apply unasked would be wrong. Running the same command
 *   again then applies from the restored state.
 * A dry run only reports what it found (it changes nothing, restores included).
 */
import type { ClusterConnection } from '../../k8s/client';
import { readBackup, shortPath } from './backup';
import { clearJournal, pendingApplies, writeJournal } from './journal';
import { oneLine, Refused, Stop, ExitCode } from './outcome';
import type { Progress } from './progress';
import { restoreBackup } from './restore-backup';

export async function recoverInterrupted(conn: ClusterConnection, namespace: string, journalDir: string, dryRun: boolean, p: Progress): Promise<void> {
  const pending = pendingApplies(journalDir, conn.server, namespace);
  const busy = pending.running[0];
  if (busy) {
    throw new Refused(`another apply-fix (pid ${busy.pid}, fix ${busy.fix}) is working on namespace ${namespace} of ${conn.server} right now: wait for it to end`);
  }
  if (pending.interrupted.length === 0) return;
  for (const j of [...pending.interrupted].reverse()) {
    const found = `found an interrupted apply of ${j.fix} (pid ${j.pid} stopped during step "${j.step}"; journal ${shortPath(j.file)})`;
    if (dryRun) {
      p.warn(`${found}: not restored in a dry run; run without --dry-run, or: npx tsx scripts/rollback.ts ${shortPath(j.backup)}`);
      continue;
    }
    p.note(`${found}: restoring from ${shortPath(j.backup)}`);
    writeJournal(j.file, { ...j, step: 'rolling-back' });
    let report: Awaited<ReturnType<typeof restoreBackup>>;
    try {
      report = await restoreBackup(conn, readBackup(j.backup));
    } catch (e) {
      throw new Stop(`could not restore the interrupted apply of ${j.fix}: ${oneLine(e)}; the journal stays at ${shortPath(j.file)}`, ExitCode.failed);
    }
    for (const line of report.lines) p.note(`restored ${line}`);
    if (!report.ok) {
      throw new Stop(`restoring the interrupted apply of ${j.fix} left differences: ${report.problems.join('; ')}; the journal stays at ${shortPath(j.file)}`, ExitCode.failed);
    }
    clearJournal(j.file);
    p.note(`restored in ${report.ms} ms: the objects equal the backup taken before that apply`);
  }
  if (!dryRun) {
    throw new Stop(
      `restored ${pending.interrupted.length} interrupted apply(s); nothing new was applied: run the command again to apply`,
      ExitCode.recovered,
    );
  }
}
