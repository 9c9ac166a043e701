/**
 * The README's walk-through as data, so a spec can run it exactly as written and the README cannot drift. Inside
 * the "Walk-through" part of the Kubernetes section (up to `<!-- end of walk-through -->`), every ```console block
 * is one of:
 *   - commands: lines starting with `$ `, each followed by the output lines a reader should see (trimmed: a line
 *     ending in `…` is a prefix; lines left out are simply not shown);
 *   - the playground's own terminal, continued (no `$ ` line): more of its output, and `^C` where the reader
 *     presses Ctrl-C.
 * Output lines are compared with what the command really printed after masking what changes from run to run
 * (digits, a backup's random suffix, the checkout's path shown as /path/to/socketproof, runs of spaces, colours).
 */
export interface Step {
  kind: 'command' | 'ctrl-c';
  /** The command as typed (kind command). */
  command?: string;
  /** The lines the README shows after it. */
  expected: string[];
  /** The README block continues the playground's terminal (its output, not a command's). */
  playgroundOutput?: boolean;
}

export const README_ROOT = '/path/to/socketproof';
const START = /^### Walk-through/m;
const END = '<!-- end of walk-through -->';

export function walkthroughSteps(readme: string): Step[] {
  const start = readme.search(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README: no "### Walk-through" … "${END}" part`);
  const part = readme.slice(start, end);
  const steps: Step[] = [];
  for (const m of part.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = (m[1] ?? '').split('\n').filter((l) => l.trim() !== '');
    const isCommands = lines[0]?.startsWith('$ ');
    let current: Step | undefined;
    if (!isCommands) {
      current = { kind: 'command', expected: [], playgroundOutput: true };
      steps.push(current);
    }
    for (const line of lines) {
      if (line.startsWith('$ ')) {
        current = { kind: 'command', command: line.slice(2).trim(), expected: [] };
        steps.push(current);
      } else if (line.trim() === '^C') {
        current = { kind: 'ctrl-c', expected: [] };
        steps.push(current);
      } else current?.expected.push(line);
    }
  }
  return steps;
}

/** What may differ between the README's copy and a run: digits, the checkout's path, spacing. */
export function normalize(line: string, root: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes (a TTY's, or FORCE_COLOR's) are not text
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  return plain
    .replaceAll(root, README_ROOT)
    .replace(/-[0-9a-f]{4}\.json\b/g, '-xxxx.json') // a backup's random suffix
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The README lines that do not appear in `output` (a line ending in `…` matches any line it begins). */
export function missingLines(expected: string[], output: string, root: string): string[] {
  const got = output.split('\n').map((l) => normalize(l, root));
  return expected.filter((line) => {
    const want = normalize(line, root);
    const prefix = want.endsWith('…') ? want.slice(0, -1).trim() : undefined;
    return !got.some((g) => (prefix !== undefined ? g.startsWith(prefix) : g === want));
  });
}
