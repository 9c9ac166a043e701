/**
 * nginx config text as a flat list of statements with their offsets and line numbers, for rewrites that must keep
 * the user's line numbers (nginx's errors then name the user's own line). Not a validator: `nginx -t` is that.
 * A statement ends at `;` (a directive) or `{` (a block opens); `}` closes the innermost block. Quotes and `#`
 * comments are honoured; a directive may span lines (`log_format` continued on the next line).
 */

export interface Statement {
  /** The directive's words, quotes removed (`proxy_pass`, `http://pods`). */
  words: string[];
  /** Offset of the first word and just past the terminating `;` or `{`. */
  start: number;
  end: number;
  /** 1-based line of the first word. */
  line: number;
  opensBlock: boolean;
  /** Names of the enclosing blocks, outermost first (`['http', 'server', 'location']`). */
  context: string[];
  /** For a block: offset just past its closing `}` (the text length when it never closes). */
  blockEnd?: number;
}

export function parseStatements(text: string): Statement[] {
  const out: Statement[] = [];
  const open: Statement[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let start = -1;
  let startLine = 1;
  let line = 1;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const begin = (i: number) => {
    if (start < 0) {
      start = i;
      startLine = line;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\n') line++;
    if (ch === '#' && !inWord) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      begin(i);
      inWord = true;
      for (i++; i < text.length && text[i] !== ch; i++) {
        if (text[i] === '\\') i++;
        if (text[i] === '\n') line++;
        word += text[i] ?? '';
      }
      continue;
    }
    if (/\s/.test(ch)) {
      endWord();
      continue;
    }
    if (ch === ';' || ch === '{') {
      endWord();
      if (words.length > 0) {
        const st: Statement = {
          words,
          start,
          end: i + 1,
          line: startLine,
          opensBlock: ch === '{',
          context: open.map((s) => s.words[0] ?? ''),
        };
        out.push(st);
        if (st.opensBlock) open.push(st);
      }
      words = [];
      start = -1;
      continue;
    }
    if (ch === '}') {
      endWord();
      words = [];
      start = -1;
      const closed = open.pop();
      if (closed) closed.blockEnd = i + 1;
      continue;
    }
    begin(i);
    inWord = true;
    word += ch;
  }
  for (const st of open) st.blockEnd = text.length;
  return out;
}

/** `replacement` in place of `original`, padded with the newlines `original` had: later lines keep their numbers. */
export function sameLines(original: string, replacement: string): string {
  const lost = (original.match(/\n/g)?.length ?? 0) - (replacement.match(/\n/g)?.length ?? 0);
  return replacement + '\n'.repeat(Math.max(0, lost));
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (an edit inside a removed block is dropped with it), keeping line numbers. */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Edit[] = [];
  const inside = (e: Edit, k: Edit) => e.start >= k.start && e.end <= k.end && k.end - k.start > e.end - e.start;
  for (const e of sorted) if (!kept.some((k) => inside(e, k))) kept.push(e);
  let out = text;
  for (const e of kept.reverse()) out = out.slice(0, e.start) + sameLines(out.slice(e.start, e.end), e.text) + out.slice(e.end);
  return out;
}
