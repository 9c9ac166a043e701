/**
 * The journal says, before every mutating step, what this run is about to do: which backup restores it and how
 * far it got. It is deleted when the run ends cleanly (applied and verified, or rolled back). A journal left
 * behind by a dead process means that run was killed (SIGKILL, OOM, a lost machine) possibly half-way: the next
 * run against the same API server and namespace restores it from the backup before anything else.
 * One file per apply: `<journal-dir>/<backup name>.json`.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { commandLineText, pidAlive } from '../../os/process';
import { PATHS } from '../../paths';
import { writeJsonAtomic } from './backup';

export const defaultJournalDir = PATHS.fixJournal;

/**
 * The step a run was in: `backed-up` (nothing written yet) … `rolling-back`. `watching` (apply-fix --watch): the fix
 * is verified but its watch had not ended; a run killed there had not earned the fix its keep, so it is restored.
 */
export type JournalStep = 'backed-up' | 'applying' | 'verifying' | 'watching' | 'rolling-back';

export interface JournalEntry {
  format: 'socketproof-journal/v1';
  fix: string;
  pid: number;
  backup: string;
  server: string;
  context: string;
  namespace: string;
  step: JournalStep;
  updatedAt: string;
}

export function journalFileFor(dir: string, backupFile: string): string {
  return path.resolve(dir, path.basename(backupFile));
}

/** Records `entry` as this process's: a journal always names the process that is acting on it. */
export function writeJournal(file: string, entry: Omit<JournalEntry, 'format' | 'updatedAt' | 'pid'>): void {
  const { fix, backup, server, context, namespace, step } = entry;
  const data: JournalEntry = { format: 'socketproof-journal/v1', fix, pid: process.pid, backup, server, context, namespace, step, updatedAt: new Date().toISOString() };
  writeJsonAtomic(file, data);
}

export function clearJournal(file: string): void {
  rmSync(file, { force: true });
}

/** Whether `pid` is a live apply-fix (not a recycled PID now running something else). */
function applyRunning(pid: number): boolean {
  return pid !== process.pid && pidAlive(pid) && commandLineText(pid).includes('apply-fix');
}

export interface PendingApplies {
  /** Journals of dead runs: to restore. */
  interrupted: (JournalEntry & { file: string })[];
  /** Journals of runs still going: another apply-fix is working on this namespace right now. */
  running: (JournalEntry & { file: string })[];
}

/** Journals for this API server and namespace, oldest first; unreadable files are skipped (never trusted). */
export function pendingApplies(dir: string, server: string, namespace: string): PendingApplies {
  const found: PendingApplies = { interrupted: [], running: [] };
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    let entry: JournalEntry;
    try {
      entry = JSON.parse(readFileSync(file, 'utf8')) as JournalEntry;
    } catch {
      continue;
    }
    if (entry.format !== 'socketproof-journal/v1' || entry.server !== server || entry.namespace !== namespace) continue;
    (applyRunning(entry.pid) ? found.running : found.interrupted).push({ ...entry, file });
  }
  return found;
}

/** Removes the journal of the apply `backupFile` belongs to (after a manual rollback of it). */
export function clearJournalOfBackup(dir: string, backupFile: string): boolean {
  const file = journalFileFor(dir, backupFile);
  const had = existsSync(file);
  clearJournal(file);
  return had;
}

