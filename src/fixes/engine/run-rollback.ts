/**
 * rollback <backup | fix id>: put the objects back exactly as the backup holds them, then read them back and prove it.
 * Refused (exit 2, nothing changed) when the backup is unreadable, when the connection reaches another API
 * server than the one the backup was taken from (the same names on another cluster are other objects), for a
 * production cluster without --allow-production --confirm-context, and when the user may not update the objects.
 * A signal during the restore is noted, not obeyed: stopping half-way would leave the worst possible state.
 */
import { canI, describeConnection } from '../../k8s/client';
import { refOf } from '../../k8s/objects';
import { readBackup, resolveBackupArg, shortPath } from './backup';
import { FixApi } from './fix-api';
import { InterruptGate } from './interrupt';
import { clearJournalOfBackup, pendingApplies } from './journal';
import type { RollbackOptions } from './options';
import { ExitCode, oneLine, Refused } from './outcome';
import { consoleOutput, type Output, Progress } from './progress';
import { restoreBackup } from './restore-backup';
import { asRefused, guardProduction, openConnection } from './session';

export async function runRollback(opts: RollbackOptions, io: Output = consoleOutput, gate = new InterruptGate(io)): Promise<number> {
  const p = new Progress('rollback', 4, io);
  gate.restoring = true;
  try {
    const file = resolveBackupArg(opts.backup);
    const backup = readBackup(file);
    const { cluster } = backup;
    p.step('backup', `${shortPath(file)}: fix ${backup.fix}, ${backup.objects.length} object(s) of namespace ${cluster.namespace}, taken ${backup.createdAt} from ${cluster.server}`);

    const conn = await openConnection(
      opts.kubeconfig ?? cluster.kubeconfig,
      // Another kubeconfig has its own context names: its current context, unless one is named.
      opts.context ?? (opts.kubeconfig ? undefined : cluster.context),
    );
    if (conn.server !== cluster.server) {
      throw new Refused(`the backup was taken from ${cluster.server}, but context "${conn.context}" reaches ${conn.server}: pass the kubeconfig/context of that cluster`);
    }
    guardProduction(backup.production, backup.target, conn, opts);
    const busy = pendingApplies(opts.journalDir, conn.server, cluster.namespace).running[0];
    if (busy) throw new Refused(`apply-fix (pid ${busy.pid}, fix ${busy.fix}) is working on namespace ${cluster.namespace} right now: wait for it to end`);
    const api = FixApi.forConnection(conn);
    for (const o of backup.objects) {
      const resource = (await api.resourceName(o.apiVersion, o.kind).catch(() => undefined)) ?? o.kind;
      if (!(await canI(conn, 'update', resource, refOf(o).namespace))) {
        throw new Refused(`user "${conn.user}" may not update ${resource} in namespace ${cluster.namespace} (SelfSubjectAccessReview, context "${conn.context}"): nothing was changed`);
      }
    }
    p.step('connect', `${describeConnection(conn)}; same API server as the backup; may update every object`);

    const report = await restoreBackup(conn, backup);
    p.step('restore', report.lines.join('; ') || '(no objects)');
    if (!report.ok) {
      p.error(`ROLLBACK INCOMPLETE: ${report.problems.join('; ')}; run the same command again`);
      return ExitCode.failed;
    }
    const hadJournal = clearJournalOfBackup(opts.journalDir, file);
    p.step('verify', `${backup.objects.length} object(s) equal the backup apart from server-managed fields${hadJournal ? '; the interrupted apply\'s journal is cleared' : ''}`);
    io.out(`done: ${backup.fix} rolled back in ${report.ms} ms${gate.signal ? ` (${gate.signal} arrived during the restore and was held until it finished)` : ''}`);
    return gate.signal ? ExitCode[gate.signal] : ExitCode.ok;
  } catch (e) {
    const err = asRefused(e);
    p.error(oneLine(err));
    return err instanceof Refused ? ExitCode.refused : ExitCode.failed;
  }
}
