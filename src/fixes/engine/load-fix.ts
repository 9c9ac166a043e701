/**
 * The fix to apply: from fixes/ (src/fixes/load.ts), or from another folder (--fixes-dir: a team's own fixes, or
 * a test's broken fix file without touching the repo's folder that every other run reads). Same validation and
 * the same one-line errors either way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { type Fix, FixError, loadFix, parseFix } from '../load';
import { shortPath } from './backup';

export function loadFixFrom(id: string, dir?: string): Fix {
  if (!dir) return loadFix(id);
  if (!existsSync(dir)) throw new FixError(`--fixes-dir ${dir} does not exist`);
  const known = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  if (!known.includes(id)) throw new FixError(`unknown fix "${id}": known fixes in ${dir} are ${known.join(', ') || '(none)'}`);
  const file = path.join(dir, `${id}.yaml`);
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FixError(`${shortPath(file)}: not valid YAML: ${String((error as Error).message).split('\n')[0]}`);
  }
  return parseFix(data, shortPath(file), id);
}
