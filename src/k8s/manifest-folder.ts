/**
 * A folder of manifests named on a command line: a set of the repo (`broken`, `healthy`: kind/manifests/<set>/) or
 * a path. Relative paths are the user's: npm runs scripts from the project root, so they are resolved against
 * INIT_CWD (where `npm run` was typed). Every problem is one line (ManifestError), found before any cluster is
 * touched: a missing folder, a folder without YAML, a file that does not parse.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { listManifestSets, loadManifestFile, ManifestError, manifestsDir } from './manifests';
import type { K8sObject } from './objects';

export interface ManifestFolder {
  /** What the user named (a set name, or the path as typed). */
  name: string;
  dir: string;
  /** The repo's set of that name, when it is one. */
  set?: string;
  objects: K8sObject[];
}

export function loadManifestFolder(arg: string, cwd = process.env.INIT_CWD ?? process.cwd()): ManifestFolder {
  const sets = listManifestSets();
  const set = sets.includes(arg) ? arg : undefined;
  const dir = set ? path.join(manifestsDir, set) : path.resolve(cwd, arg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ManifestError(`no manifest folder "${arg}": name a set (${sets.join(', ')}) or a folder of YAML files`);
  }
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
  if (files.length === 0) throw new ManifestError(`${arg}: no .yaml files in ${dir}`);
  const objects = files.flatMap(loadManifestFile);
  if (objects.length === 0) throw new ManifestError(`${arg}: the .yaml files in ${dir} hold no objects`);
  return { name: arg, dir, set, objects };
}
