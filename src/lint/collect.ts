/**
 * The files a lint run reads: each argument is a file or a folder (walked recursively, `.yaml`/`.yml` manifests
 * and `.conf` nginx configs, hidden folders and node_modules skipped). A named file is linted whatever its
 * extension: `.yaml`/`.yml` as manifests, anything else as nginx config (`sites-available/default` has none).
 * A missing argument is bad input.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { LintInputError } from './types';

export type FileKind = 'yaml' | 'nginx';

export interface LintFile {
  abs: string;
  /** As findings name it: relative to the working directory when inside it. */
  display: string;
  kind: FileKind;
}

export function displayName(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

const kindOf = (file: string): FileKind => (/\.ya?ml$/i.test(file) ? 'yaml' : 'nginx');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'node_modules' ? [] : walk(full);
      return /\.(ya?ml|conf)$/i.test(e.name) ? [full] : [];
    });
}

export function collectFiles(args: string[], cwd = process.cwd()): LintFile[] {
  const seen = new Set<string>();
  const files: LintFile[] = [];
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(abs);
    } catch {
      throw new LintInputError(`${arg}: no such file or directory`);
    }
    for (const file of stat.isDirectory() ? walk(abs) : [abs]) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({ abs: file, display: displayName(file, cwd), kind: kindOf(file) });
    }
  }
  return files;
}
