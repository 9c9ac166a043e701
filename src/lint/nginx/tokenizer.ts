/**
 * nginx's configuration lexer, ported from `ngx_conf_read_token()` (nginx/nginx src/core/ngx_conf_file.c, commit
 * 32c7bd5102571ec20e45f620d2916e612e3b2016) so the linter reads a file the way nginx does:
 *  - words end at whitespace, `;` or `{`; `}` only closes a block at the start of a token;
 *  - `#` starts a comment only at the start of a token (`a#b` is one word);
 *  - `"…"` and `'…'` quote a word; after the closing quote nginx needs whitespace, `;`, `{` or `)`;
 *  - a backslash protects the next character; when the word is stored, `\"` `\'` `\\` lose it, `\t` `\r` `\n`
 *    become control characters, any other `\x` stays as it is;
 *  - `${` inside a word is a variable, not a block (`"${host}x"` and `$${a}` stay words).
 * Positions are 1-based lines and columns of the first character of each token (the quote for a quoted word).
 */

export type Token =
  | { kind: 'word'; value: string; quoted: boolean; line: number; column: number }
  | { kind: ';' | '{' | '}'; line: number; column: number }
  | { kind: 'comment'; text: string; line: number; column: number };

export class NginxSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
  }
}

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** The stored value of a raw word: nginx's unescaping (see the file comment). */
export function unescapeWord(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    const next = raw[i + 1];
    if (ch === '\\' && next !== undefined) {
      if (next === '"' || next === "'" || next === '\\') {
        out += next;
        i++;
        continue;
      }
      const control = { t: '\t', r: '\r', n: '\n' }[next];
      if (control) {
        out += control;
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** Every token of `text`, comments included (suppressions are comments). Throws NginxSyntaxError. */
export function tokenize(text: string): Token[] {
  return [...lex(text)];
}

/** The tokens one by one: a reader may stop early (lua-blocks.ts hands a Lua body to its own reader). */
export function* lex(text: string): Generator<Token> {
  let line = 1;
  let column = 0;
  let i = 0;
  const next = (): string => {
    const ch = text[i++] as string;
    if (ch === '\n') {
      line++;
      column = 0;
    } else column++;
    return ch;
  };

  while (i < text.length) {
    const ch = next();
    if (isSpace(ch)) continue;
    const at = { line, column };
    if (ch === ';' || ch === '{' || ch === '}') {
      yield { kind: ch, ...at };
      continue;
    }
    if (ch === '#') {
      let comment = '';
      while (i < text.length && text[i] !== '\n') comment += next();
      yield { kind: 'comment', text: comment, ...at };
      continue;
    }
    if (ch === '"' || ch === "'") {
      let raw = '';
      let closed = false;
      while (i < text.length) {
        const c = next();
        if (c === '\\' && i < text.length) {
          raw += c + next();
          continue;
        }
        if (c === ch) {
          closed = true;
          break;
        }
        raw += c;
      }
      if (!closed) throw new NginxSyntaxError(`unexpected end of file: missing terminating ${ch} character`, at.line, at.column);
      yield { kind: 'word', value: unescapeWord(raw), quoted: true, ...at };
      // nginx: after a quoted word only whitespace, `;`, `{` or `)` may follow.
      const after = text[i];
      if (after !== undefined && !isSpace(after) && after !== ';' && after !== '{' && after !== ')') {
        next();
        throw new NginxSyntaxError(`unexpected "${after}" after a quoted word`, line, column);
      }
      continue;
    }
    // An unquoted word.
    let raw = ch;
    let variable = ch === '$';
    if (ch === '\\' && i < text.length) raw += next();
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '{' && variable) {
        raw += next();
        variable = false;
        continue;
      }
      variable = false;
      if (c === '\\') {
        raw += next();
        if (i < text.length) raw += next();
        continue;
      }
      if (c === '$') {
        raw += next();
        variable = true;
        continue;
      }
      if (isSpace(c) || c === ';' || c === '{') break;
      raw += next();
    }
    yield { kind: 'word', value: unescapeWord(raw), quoted: false, ...at };
  }
}
