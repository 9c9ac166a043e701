/**
 * nginx's configuration grammar over the tokens of tokenizer.ts, as `ngx_conf_parse()` applies it
 * (nginx/nginx src/core/ngx_conf_file.c): a directive is a name and arguments ended by `;`, or by `{` that opens
 * its block, closed by `}`. Errors carry nginx's own wording ("unexpected "}"", "unexpected end of file, expecting
 * ";" or "}"") and the position. Blocks of `*_by_lua_block` hold Lua, not nginx syntax: they are kept as raw text
 * (lua-nginx-module reads them with a Lua-aware lexer; the linter never looks inside).
 */
import { isLuaBlock, tokenizeWithLua } from './lua-blocks';
import { NginxSyntaxError, type Token } from './tokenizer';

export interface NginxArg {
  value: string;
  quoted: boolean;
  line: number;
  column: number;
}

export interface NginxDirective {
  name: string;
  args: NginxArg[];
  /** Where the directive's name starts, in `file`. */
  file: string;
  line: number;
  column: number;
  /** The block, when the directive has one (`http`, `server`, `location`, `map`, `upstream`, …). */
  block?: NginxDirective[];
  /** Set by includes.ts on an `include` whose file could not be read. */
  unresolvedInclude?: boolean;
}

export interface NginxComment {
  text: string;
  file: string;
  line: number;
  column: number;
}

export interface NginxConfig {
  file: string;
  directives: NginxDirective[];
  comments: NginxComment[];
}

/** Maps a position in the parsed text to one in the file (a config embedded in a ConfigMap starts mid-file). */
export type PositionMap = (line: number, column: number) => { line: number; column: number };

const identity: PositionMap = (line, column) => ({ line, column });

export function parseNginx(text: string, file: string, map: PositionMap = identity): NginxConfig {
  const tokens = tokenizeWithLua(text);
  const comments: NginxComment[] = [];
  let i = 0;
  const at = (t: { line: number; column: number }) => map(t.line, t.column);
  const fail = (reason: string, t: { line: number; column: number }): never => {
    const p = at(t);
    throw new NginxSyntaxError(reason, p.line, p.column);
  };

  function parseBlock(depth: number, opener?: Token): NginxDirective[] {
    const directives: NginxDirective[] = [];
    let current: { name: Token & { kind: 'word' }; args: NginxArg[] } | undefined;
    for (; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.kind === 'comment') {
        comments.push({ text: t.text, file, ...at(t) });
        continue;
      }
      if (t.kind === 'word') {
        if (!current) current = { name: t, args: [] };
        else current.args.push({ value: t.value, quoted: t.quoted, ...at(t) });
        continue;
      }
      if (t.kind === ';' || t.kind === '{') {
        if (!current) fail(`unexpected "${t.kind}"`, t);
        const d = current as NonNullable<typeof current>;
        const directive: NginxDirective = { name: d.name.value, args: d.args, file, ...at(d.name) };
        if (t.kind === '{') {
          i++;
          // A Lua body was replaced by its closing `}` (lua-blocks.ts): the loop steps over it.
          directive.block = isLuaBlock(d.name.value) ? [] : parseBlock(depth + 1, t);
        }
        directives.push(directive);
        current = undefined;
        continue;
      }
      // `}`
      if (current) fail('unexpected "}"', t);
      if (depth === 0) fail('unexpected "}"', t);
      return directives;
    }
    if (current) fail('unexpected end of file, expecting ";" or "}"', current.name);
    if (depth > 0) fail('unexpected end of file, expecting "}"', opener ?? { line: 1, column: 1 });
    return directives;
  }

  const directives = parseBlock(0);
  return { file, directives, comments };
}

