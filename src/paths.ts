/**
 * Where things are in the project, in one place: every module that needs a project path asks here instead of
 * computing it from its own location (which breaks the day the module moves).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (the one with package.json). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Generated state that survives runs (builds, caches, run dirs); git-ignored. */
export const cacheDir = path.join(projectRoot, '.cache');

export const PATHS = {
  targets: path.join(projectRoot, 'targets'),
  fixes: path.join(projectRoot, 'fixes'),
  faults: path.join(projectRoot, 'faults'),
  manifests: path.join(projectRoot, 'kind', 'manifests'),
  crds: path.join(projectRoot, 'kind', 'crds'),
  runbooks: path.join(projectRoot, 'docs', 'runbooks'),
  reports: path.join(projectRoot, 'reports'),
  theiaApp: path.join(projectRoot, 'theia-app'),
  /** PID files of the children each run spawned (the globalTeardown's safety net reads them). */
  pidRegistry: path.join(cacheDir, 'pids'),
  fixBackups: path.join(cacheDir, 'backups'),
  fixJournal: path.join(cacheDir, 'journal'),
} as const;

/** A path relative to the project root, for messages ("targets/local.yaml" rather than an absolute path). */
export function projectRelative(file: string): string {
  return path.relative(projectRoot, file) || file;
}
