/**
 * A pure command interpreter standing in for a shell. The mock must prove that keystrokes reach the backend and
 * output comes back through every proxy hop; a real shell would add nothing to that and would be a remote-execution
 * hole on any port that leaks, so nothing here ever spawns a process or touches the file system.
 */

export interface SimContext {
  pod: string;
  /** Passed in so the function stays pure (and `date` testable). */
  now: Date;
}

export interface SimResult {
  /** Output lines, without line endings (the session adds `\r\n`, as a pty would). */
  lines: string[];
  /** `clear`: the session sends the ANSI clear-screen sequence instead of lines. */
  clear?: boolean;
}

const HELP = [
  'Simulated terminal (socketproof mock Theia): no shell, no processes.',
  'Commands: echo <args>, help, pwd, whoami, hostname, date, ls, clear',
];

const LS = ['README.md', 'package.json', 'src'];

/** Splits like a minimal shell: whitespace separates words; single and double quotes group them. */
export function splitArgs(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export function interpret(line: string, ctx: SimContext): SimResult {
  const [cmd, ...args] = splitArgs(line);
  switch (cmd) {
    case undefined:
      return { lines: [] };
    case 'echo':
      return { lines: [args.join(' ')] };
    case 'help':
      return { lines: [...HELP] };
    case 'pwd':
      return { lines: ['/home/project'] };
    case 'whoami':
      return { lines: ['theia'] };
    case 'hostname':
      return { lines: [ctx.pod] };
    case 'date':
      return { lines: [ctx.now.toUTCString()] };
    case 'ls':
      return { lines: [...LS] };
    case 'clear':
      return { lines: [], clear: true };
    default:
      return { lines: [`${cmd}: command not found`] };
  }
}
