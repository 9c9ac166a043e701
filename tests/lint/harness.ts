/**
 * Shared by the lint specs: lint a fixture (file or folder) with default options, and read the
 * `# expect-next-line: <rule> <severity>` markers of a fixture (the finding is expected on the line after the
 * marker). Findings are compared by absolute file, line, rule and severity.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { lintPaths, type LintReport } from '../../src/lint/run';
import { defaultLintOptions, type Finding, type LintOptions } from '../../src/lint/types';

export const fixturesDir = path.join(import.meta.dirname, 'fixtures');
export const ruleFixturesDir = path.join(fixturesDir, 'rules');

export interface Expected {
  file: string;
  line: number;
  rule: string;
  severity: string;
}

export function filesUnder(p: string): string[] {
  return statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => filesUnder(path.join(p, f))) : [p];
}

export function markers(p: string): Expected[] {
  const out: Expected[] = [];
  for (const file of filesUnder(p)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const at = text.indexOf('expect-next-line:');
        if (at < 0) return;
        const [rule = '', severity = ''] = text.slice(at + 'expect-next-line:'.length).trim().split(/\s+/);
        out.push({ file, line: i + 2, rule, severity });
      });
  }
  return out;
}

export function lint(p: string | string[], options: Partial<LintOptions> = {}): LintReport {
  return lintPaths(Array.isArray(p) ? p : [p], { ...defaultLintOptions, socketPaths: [], healthPaths: [], ...options });
}

/** A finding as `file:line rule severity` with an absolute file, sortable and comparable. */
export function key(f: Pick<Finding, 'file' | 'line' | 'rule'> & { severity: string }): string {
  return `${path.resolve(f.file)}:${f.line} ${f.rule} ${f.severity}`;
}

export function fixtureOptions(dir: string): Partial<LintOptions> {
  try {
    return parse(readFileSync(path.join(dir, 'options.yaml'), 'utf8')) as Partial<LintOptions>;
  } catch {
    return {};
  }
}

/** The `bad`/`good` entry of a rule fixture folder: a folder of that name, or a file `bad.*`. */
export function fixtureEntry(dir: string, which: 'bad' | 'good'): string | undefined {
  const entry = readdirSync(dir).find((f) => f === which || f.startsWith(`${which}.`));
  return entry ? path.join(dir, entry) : undefined;
}
