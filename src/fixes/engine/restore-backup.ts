/**
 * Restoring a whole backup: every object, in reverse order of the fix (undo what was done last first), every
 * error reported rather than stopping at the first (a half-restored cluster is the worst outcome: restore all
 * that can be), then a read-back proving each object equals its backup apart from server-managed fields.
 */
import type { ClusterConnection } from '../../k8s/client';
import { formatDiff } from '../../k8s/diff';
import type { Backup } from './backup';
import { FixApi } from './fix-api';
import { oneLine } from './outcome';
import { restoreObject, verifyRestored } from './restore';

export interface RestoreReport {
  ok: boolean;
  /** One line per object: what was changed back. */
  lines: string[];
  /** Errors and differences left after the restore (empty when ok). */
  problems: string[];
  ms: number;
}

export async function restoreBackup(conn: ClusterConnection, backup: Backup): Promise<RestoreReport> {
  const t0 = Date.now();
  const api = FixApi.forConnection(conn);
  const lines: string[] = [];
  const problems: string[] = [];
  for (const saved of [...backup.objects].reverse()) {
    try {
      const r = await restoreObject(api, conn, saved);
      const what = r.recreated
        ? 'recreated (it had been deleted)'
        : r.changed.length === 0
          ? 'already as in the backup'
          : r.changed.map(formatDiff).join(', ');
      lines.push(`${r.object}: ${what}${r.ownershipRestored ? '; field owners restored' : ''}`);
    } catch (e) {
      problems.push(oneLine(e));
    }
  }
  try {
    problems.push(...(await verifyRestored(conn, backup.objects)));
  } catch (e) {
    problems.push(`read-back failed: ${oneLine(e)}`);
  }
  return { ok: problems.length === 0, lines, problems, ms: Date.now() - t0 };
}
