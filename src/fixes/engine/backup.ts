/**
 * A backup is the full objects a fix is about to change, as the server returned them (managedFields included:
 * a restore puts the old field owners back too), plus where they came from, so `rollback <file>` needs nothing
 * else and refuses a different cluster. JSON, written atomically (temp file + rename): a half-written backup
 * must never be the thing a rollback trusts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { K8sObject } from '../../k8s/objects';
import { PATHS, projectRoot } from '../../paths';
import { Refused } from './outcome';

export const defaultBackupDir = PATHS.fixBackups;

export interface Backup {
  format: 'socketproof-backup/v1';
  fix: string;
  createdAt: string;
  /** The target the apply ran for, and whether it marks the cluster as production (rollback guards the same way). */
  target: string;
  production: boolean;
  cluster: { server: string; context: string; kubeconfig: string; namespace: string };
  fieldManager: string;
  objects: K8sObject[];
}

/** Relative to the project when inside it (shorter lines), else absolute. */
export function shortPath(file: string): string {
  const rel = path.relative(projectRoot, file);
  return rel && !rel.startsWith('..') ? rel : path.resolve(file);
}

export function writeJsonAtomic(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** `20261130T032952Z-backendconfig-timeout-3f9a.json`: sorts by time, names the fix, never collides. */
export function backupFileName(fix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${fix}-${randomBytes(2).toString('hex')}.json`;
}

export function writeBackup(dir: string, backup: Backup): string {
  const file = path.resolve(dir, backupFileName(backup.fix, new Date(backup.createdAt)));
  writeJsonAtomic(file, backup);
  return file;
}

export function readBackup(file: string): Backup {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Refused(`no backup at ${file}: pass the path apply-fix printed (backups are in ${shortPath(defaultBackupDir)}/)`);
  }
  let data: Partial<Backup>;
  try {
    data = JSON.parse(text) as Partial<Backup>;
  } catch (e) {
    throw new Refused(`${file}: not a socketproof backup: invalid JSON (${String((e as Error).message).split('\n')[0]})`);
  }
  const c = data?.cluster;
  const valid =
    data?.format === 'socketproof-backup/v1' &&
    typeof data.fix === 'string' &&
    typeof c?.server === 'string' &&
    typeof c.namespace === 'string' &&
    Array.isArray(data.objects) &&
    data.objects.every((o) => typeof o?.kind === 'string' && typeof o?.metadata?.name === 'string');
  if (!valid) throw new Refused(`${file}: not a socketproof backup (format socketproof-backup/v1 with cluster and objects expected)`);
  return data as Backup;
}

/**
 * What `rollback <arg>` restores: a backup file, or, given a fix id, the newest backup of that fix in `dir`
 * (backup names sort by time). The fix id form is what a person types after the apply they just made.
 */
export function resolveBackupArg(arg: string, dir = defaultBackupDir): string {
  if (arg.endsWith('.json') || arg.includes('/') || existsSync(arg)) return arg;
  const pattern = new RegExp(`^\\d{8}T\\d{6}Z-${arg.replace(/[^a-z0-9-]/gi, '')}-[0-9a-f]{4}\\.json$`);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort() : [];
  const newest = files[files.length - 1];
  if (!newest) throw new Refused(`no backup of fix "${arg}" in ${shortPath(dir)}/: pass a fix id that was applied, or the backup file apply-fix printed`);
  return path.join(dir, newest);
}
