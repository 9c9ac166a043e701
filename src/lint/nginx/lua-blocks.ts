/**
 * `*_by_lua_block { … }` (lua-nginx-module, used by ingress-nginx's generated nginx.conf) holds Lua, whose strings,
 * long brackets and `--` comments may contain braces and quotes nginx's lexer would misread. Like
 * lua-nginx-module's own reader (`ngx_http_lua_conf_lua_block_parse`), the body is consumed as Lua and only its
 * closing `}` is handed to the grammar. Everything outside Lua bodies goes through the nginx lexer, lazily, so the
 * lexer never sees a Lua body.
 */
import { lex, NginxSyntaxError, type Token } from './tokenizer';

export const isLuaBlock = (name: string) => name.endsWith('_by_lua_block');

/** The tokens of `text`, with each Lua body replaced by the `}` that closes it. */
export function tokenizeWithLua(text: string): Token[] {
  const out: Token[] = [];
  let from = 0;
  let base = { line: 0, column: 0 };
  for (;;) {
    const open = readUntilLuaBody(text.slice(from), base, out);
    if (!open) return out;
    const close = luaBodyEnd(text, offsetOf(text, open.line, open.column) + 1, open);
    const pos = positionOf(text, close);
    out.push({ kind: '}', ...pos });
    from = close + 1;
    base = { line: pos.line - 1, column: pos.column };
  }
}

/**
 * Lexes `slice` (which starts at `base`: 0-based line offset, column of the character before it) into `out` up to
 * and including the `{` that opens a Lua body; returns that brace, or undefined at the end of the text.
 */
function readUntilLuaBody(slice: string, base: { line: number; column: number }, out: Token[]): Token | undefined {
  const move = <T extends { line: number; column: number }>(t: T): T => ({
    ...t,
    line: t.line + base.line,
    column: t.line === 1 ? t.column + base.column : t.column,
  });
  let name: string | undefined;
  let atStart = true;
  try {
    for (const raw of lex(slice)) {
      const t = move(raw);
      out.push(t);
      if (t.kind === 'comment') continue;
      if (t.kind === 'word' && atStart) name = t.value;
      atStart = t.kind !== 'word';
      if (t.kind === '{' && name && isLuaBlock(name)) return t;
    }
  } catch (error) {
    if (!(error instanceof NginxSyntaxError)) throw error;
    const p = move({ line: error.line, column: error.column });
    throw new NginxSyntaxError(error.reason, p.line, p.column);
  }
  return undefined;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The offset of the last character of a Lua long bracket `[==[ … ]==]` opening at `i`, or -1 when none opens. */
function longBracketEnd(text: string, i: number): number {
  let j = i + 1;
  while (text[j] === '=') j++;
  if (text[j] !== '[') return -1;
  const closer = `]${'='.repeat(j - i - 1)}]`;
  const end = text.indexOf(closer, j + 1);
  return end < 0 ? text.length : end + closer.length - 1;
}

/** Offset of the `}` that closes a Lua body starting at `start`. */
function luaBodyEnd(text: string, start: number, open: { line: number; column: number }): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '-' && text[i + 1] === '-') {
      const long = text[i + 2] === '[' ? longBracketEnd(text, i + 2) : -1;
      const end = long >= 0 ? long : text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (ch === '"' || ch === "'") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '[' && longBracketEnd(text, i) >= 0) {
      i = longBracketEnd(text, i);
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  throw new NginxSyntaxError('unexpected end of file in a *_by_lua_block, expecting "}"', open.line, open.column);
}
