/**
 * apply-fix, step by step: fix → connect → preflight → backup → apply → verify. Nothing is written before the
 * backup and the journal exist; from then on every way out (verification failed, a signal, an error) restores
 * the backup before the process ends. A dry run stops after the preflight and prints the diff instead.
 */
import { fixFieldManager } from '../../k8s/apply';
import { type ClusterConnection, describeConnection, serverSideApply } from '../../k8s/client';
import { fixObjects, loadFix } from '../load';
import { type Backup, shortPath, writeBackup } from './backup';
import { FixApi } from './fix-api';
import { InterruptGate } from './interrupt';
import { clearJournal, journalFileFor, type JournalStep, writeJournal } from './journal';
import type { ApplyFixOptions } from './options';
import { ExitCode, Interrupted, oneLine, Refused, Stop } from './outcome';
import { preflight } from './preflight';
import { consoleOutput, type Output, Progress } from './progress';
import { recoverInterrupted } from './recover';
import { restoreBackup } from './restore-backup';
import { asRefused, expectationFor, guardProduction, openConnection } from './session';
import { changeCount, changeLines, rollbackCommand } from './text';
import { describeRed, verifyFix } from './verify';
import { watchAfterApply } from '../watch/after-apply';
import { defaultWatchTarget, prepareWatchTraffic } from '../watch/traffic';

/** What a failure after the first write has to undo. */
interface Written {
  conn: ClusterConnection;
  backup: Backup;
  backupFile: string;
  journal: string;
  step: JournalStep;
}

export async function runApplyFix(opts: ApplyFixOptions, io: Output = consoleOutput, gate = new InterruptGate(io)): Promise<number> {
  const p = new Progress('apply-fix', opts.dryRun ? 4 : opts.watch ? 7 : 6, io);
  let written: Written | undefined;
  const mark = (step: JournalStep) => {
    if (!written) return;
    written.step = step;
    const { cluster } = written.backup;
    writeJournal(written.journal, { fix: opts.fixId, backup: written.backupFile, server: cluster.server, context: cluster.context, namespace: cluster.namespace, step });
  };
  try {
    const { target, expect } = expectationFor(opts);
    const fix = (() => {
      try {
        const f = loadFix(opts.fixId, opts.fixesDir);
        return { fix: f, objects: fixObjects(f, expect) };
      } catch (e) {
        throw asRefused(e);
      }
    })();
    // One field manager per fix (see fixFieldManager): a shared one would make each apply erase the last fix.
    const manager = fixFieldManager(fix.fix.id);
    p.step('fix', `${fix.fix.id}: ${fix.fix.title} (${fix.objects.length} object(s), target ${target.name}${opts.dryRun ? ', dry run' : ''})`);
    if (!fix.fix.effectiveOnGke) p.warn(`${fix.fix.id} does not work on GKE: ${fix.fix.ineffectiveReason}`);
    // The traffic to watch is settled before anything is read from the cluster: a watch that cannot run is bad input.
    const watchTraffic = opts.watch ? await prepareWatchTraffic(opts.watch.target ?? defaultWatchTarget(target.name)) : undefined;

    const conn = await openConnection(opts.kubeconfig ?? expect.kubeconfig, opts.context ?? expect.context);
    p.step('connect', `${describeConnection(conn)}, namespace ${expect.namespace}`);
    await gate.boundary('connect');
    // The guard comes first: restoring an interrupted apply is a write to the cluster too.
    if (!opts.dryRun) guardProduction(expect.production, target.name, conn, opts);
    await recoverInterrupted(conn, expect.namespace, opts.journalDir, opts.dryRun, p);

    const planned = await preflight(conn, FixApi.forConnection(conn), fix.objects, {
      namespace: expect.namespace,
      fieldManager: manager,
      forceConflicts: opts.forceConflicts,
    }).catch((e) => Promise.reject(asRefused(e)));
    const n = changeCount(planned);
    p.step('preflight', `namespace, kinds, ${planned.length} object(s) and patch permission ok; dry run: ${n} field change(s)`);
    await gate.boundary('preflight');

    if (opts.dryRun) {
      p.step('diff', changeLines(planned).join('; '));
      io.out('dry run: nothing was changed');
      return ExitCode.ok;
    }
    if (n === 0) {
      p.step('backup', 'skipped: nothing to change');
      p.step('apply', `nothing to change: ${fix.fix.id} is already in place`);
    } else {
      const backup: Backup = {
        format: 'socketproof-backup/v1',
        fix: fix.fix.id,
        createdAt: new Date().toISOString(),
        target: target.name,
        production: expect.production,
        cluster: { server: conn.server, context: conn.context, kubeconfig: conn.kubeconfig, namespace: expect.namespace },
        fieldManager: manager,
        objects: planned.map((c) => c.live),
      };
      const backupFile = writeBackup(opts.backupDir, backup);
      written = { conn, backup, backupFile, journal: journalFileFor(opts.journalDir, backupFile), step: 'backed-up' };
      mark('backed-up');
      p.step('backup', `${shortPath(backupFile)} (${planned.length} object(s)), journal ${shortPath(written.journal)}`);
      await gate.boundary('backup');

      mark('applying');
      for (const c of planned) {
        gate.check();
        await serverSideApply(conn, c.patch, { fieldManager: manager, force: opts.forceConflicts });
      }
      p.step('apply', `${changeLines(planned).join('; ')} (field manager ${manager})`);
      await gate.boundary('apply');
    }

    mark('verifying');
    if (fix.fix.proves.length === 0) {
      p.step('verify', `nothing to verify: ${fix.fix.id} proves no cluster check`);
    } else {
      const v = await verifyFix(conn, fix.fix, expect, gate, opts.verifyTimeoutMs);
      const what = `${fix.fix.proves.join(', ')} after ${v.attempts} attempt(s) in ${(v.ms / 1000).toFixed(1)} s`;
      if (!v.ok) throw new Stop(`verification failed: ${what}: ${describeRed(v.verdicts)}`, ExitCode.failed);
      p.step('verify', `green: ${what}`);
    }
    await gate.boundary('verify');

    const undo = written ? rollbackCommand({ ...written, kubeconfig: conn.kubeconfig, context: conn.context, journalDir: opts.journalDir, production: expect.production }) : undefined;
    let watched = '';
    if (opts.watch && watchTraffic) {
      // The journal keeps protecting the fix while it is watched: killed here, the next run restores it.
      if (written) mark('watching');
      const w = await watchAfterApply({ watch: opts.watch, traffic: watchTraffic, settleMs: opts.verifyTimeoutMs, changed: Boolean(written), gate, p });
      if (w.stopped) {
        if (written) clearJournal(written.journal);
        io.out(`stopped: ${fix.fix.id} stays applied and verified (the watch ended early, no rule had fired)${undo ? `; to undo: ${undo}` : ''}`);
        return ExitCode.watchStopped;
      }
      watched = w.summary;
    }
    if (written) clearJournal(written.journal);
    written = undefined;
    io.out(`done: ${fix.fix.id} applied and verified${watched}${undo ? `; to undo: ${undo}` : ''}`);
    return ExitCode.ok;
  } catch (e) {
    return await fail(e, written, p, gate, mark);
  }
}

/** The one exit path for every failure: roll back what was written, then say what happened in one line. */
async function fail(e: unknown, written: Written | undefined, p: Progress, gate: InterruptGate, mark: (s: JournalStep) => void): Promise<number> {
  const code = e instanceof Interrupted ? ExitCode[e.signal] : e instanceof Refused ? ExitCode.refused : e instanceof Stop ? e.code : ExitCode.failed;
  const why = e instanceof Interrupted ? `interrupted by ${e.signal}` : oneLine(e);
  if (!written) {
    p.error(e instanceof Interrupted ? `${why} before any change: nothing was changed` : why);
    return code;
  }
  const during = written.step;
  gate.restoring = true;
  mark('rolling-back');
  p.note(`rolling back (${why}, during step "${during}") from ${shortPath(written.backupFile)}`);
  const report = await restoreBackup(written.conn, written.backup).catch((err) => ({ ok: false, lines: [], problems: [oneLine(err)], ms: 0 }));
  for (const line of report.lines) p.note(`restored ${line}`);
  if (!report.ok) {
    p.error(`${why}; ROLLBACK INCOMPLETE: ${report.problems.join('; ')}; the journal stays at ${shortPath(written.journal)}: run apply-fix again (it restores first) or rollback ${shortPath(written.backupFile)}`);
    return ExitCode.failed;
  }
  clearJournal(written.journal);
  p.error(`${why}; rolled back in ${report.ms} ms: the objects equal the backup apart from server-managed fields`);
  return code;
}
