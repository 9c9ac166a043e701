/**
 * The nginx grammar of src/lint/nginx/: what nginx's own lexer (ngx_conf_read_token) and parser accept and reject,
 * with positions; location selection as nginx does it; time values; includes. Where it matters, the verdict is
 * compared with the real nginx (`nginx -t`) on this machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { resolveIncludes } from '../../src/lint/nginx/includes';
import { selectLocation } from '../../src/lint/nginx/locations';
import { type NginxDirective, parseNginx } from '../../src/lint/nginx/parser';
import { parseNginxTime } from '../../src/lint/nginx/time';
import { NginxSyntaxError, tokenize } from '../../src/lint/nginx/tokenizer';
import { servers } from '../../src/lint/nginx/tree';
import { NGINX_BINARY } from '../../src/topology/nginx-config';

const words = (text: string) => tokenize(text).map((t) => (t.kind === 'word' ? t.value : t.kind === 'comment' ? `#${t.text}` : t.kind));
const flat = (ds: NginxDirective[]): string[] => ds.flatMap((d) => [`${d.line}:${d.column} ${[d.name, ...d.args.map((a) => a.value)].join(' ')}`, ...flat(d.block ?? [])]);
const syntaxError = (text: string) => {
  try {
    parseNginx(text, 'x.conf');
    return 'accepted';
  } catch (e) {
    if (!(e instanceof NginxSyntaxError)) throw e;
    return `${e.line}:${e.column} ${e.reason}`;
  }
};

/** nginx -t on a config text inside `http {}` (empty string = accepted). */
function nginxAccepts(httpBody: string): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-ngx-'));
  try {
    const conf = `pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {} http { client_body_temp_path ${dir}/cb; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s; access_log off; ${httpBody} }`;
    writeFileSync(path.join(dir, 'nginx.conf'), conf);
    execFileSync(NGINX_BINARY, ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', `${dir}/error.log`, '-t', '-q'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test.describe('nginx grammar', { tag: '@lint' }, () => {
  test('tokens: words, quotes and escapes, comments only at a token start, a braced variable inside a word', () => {
    // A backslash joins `f g` into one word, and nginx keeps it: only \" \' \\ \t \r \n are unescaped.
    expect(words(`a "b c" 'd\\'e' f\\ g;`)).toEqual(['a', 'b c', "d'e", 'f\\ g', ';']);
    expect(words('a#b c; # real comment\nd;')).toEqual(['a#b', 'c', ';', '# real comment', 'd', ';']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an nginx variable, not a template
    expect(words('set $x ${host}y;')).toEqual(['set', '$x', '${host}y', ';']);
    expect(words('return 200 "a\\tb\\nc\\"";')).toEqual(['return', '200', 'a\tb\nc"', ';']);
    expect(words('if ($a = "b") { }')).toEqual(['if', '($a', '=', 'b', ')', '{', '}']);
    expect(words("map $x $y { '' close; }")).toEqual(['map', '$x', '$y', '{', '', 'close', ';', '}']);
  });

  test('directives and blocks with 1-based positions', () => {
    const config = parseNginx('http {\n  server {\n    listen 80;\n    location = /x { return 200; }\n  }\n}\n', 'x.conf');
    expect(flat(config.directives)).toEqual(['1:1 http', '2:3 server', '3:5 listen 80', '4:5 location = /x', '4:21 return 200']);
  });

  test('syntax errors say what nginx says, where', () => {
    expect(syntaxError('http {')).toBe('1:6 unexpected end of file, expecting "}"');
    expect(syntaxError('a b')).toBe('1:1 unexpected end of file, expecting ";" or "}"');
    expect(syntaxError('a;\n}')).toBe('2:1 unexpected "}"');
    expect(syntaxError('a "b"c;')).toBe('1:6 unexpected "c" after a quoted word');
    expect(syntaxError('a "b')).toBe('1:3 unexpected end of file: missing terminating " character');
    expect(syntaxError(';')).toBe('1:1 unexpected ";"');
    expect(syntaxError('a { b }')).toBe('1:7 unexpected "}"');
  });

  test('the grammar agrees with nginx -t on what is valid', () => {
    test.skip(!existsSync(NGINX_BINARY), 'no nginx binary on this machine');
    const cases: [string, boolean][] = [
      ['map $http_upgrade $c { default upgrade; \'\' close; }', true],
      ['server { listen 127.0.0.1:1; location /a#b { return 200 "x;y"; } }', true],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an nginx variable, not a template
      ['server { listen 127.0.0.1:1; set $v "${host}x"; }', true],
      ['server { listen 127.0.0.1:1; location / { return 200 "a"x; } }', false],
      ['server { listen 127.0.0.1:1; location / { return 200; }', false],
      ['server { listen 127.0.0.1:1; } }', false],
    ];
    for (const [body, valid] of cases) {
      const ours = syntaxError(`http { ${body} }`) === 'accepted';
      expect(ours, `ours: ${body}`).toBe(valid);
      expect(nginxAccepts(body), `nginx -t: ${body}`).toBe(valid);
    }
  });

  test('*_by_lua_block bodies are Lua: braces and quotes inside strings, long brackets and comments do not count', () => {
    const config = parseNginx(
      `http {\n  init_by_lua_block {\n    local a = "}" -- it's a } comment\n    local b = [[ { ]]\n    if x then y() end\n  }\n  server { listen 80; }\n}\n`,
      'x.conf',
    );
    expect(flat(config.directives)).toEqual(['1:1 http', '2:3 init_by_lua_block', '7:3 server', '7:12 listen 80']);
  });

  test('location selection follows nginx: exact, longest prefix, ^~, then regexes in order, nested first', () => {
    const config = parseNginx(
      `server {
         location = /health { return 200; }
         location / { proxy_pass http://a; }
         location /theia/ { proxy_pass http://b; location /theia/static/ { } }
         location ^~ /assets/ { }
         location ~* \\.(png|js)$ { }
         location ~ ^/theia/socket\\.io/ { proxy_pass http://c; }
       }`,
      'x.conf',
    );
    const chain = (servers(config)[0] as { chain: NginxDirective[] }).chain;
    const pick = (uri: string) => selectLocation(chain, uri)?.directive.args.map((a) => a.value).join(' ');
    expect(pick('/health')).toBe('= /health');
    expect(pick('/healthz')).toBe('/');
    expect(pick('/theia/')).toBe('/theia/');
    expect(pick('/theia/socket.io/')).toBe('~ ^/theia/socket\\.io/');
    expect(pick('/theia/static/x.css')).toBe('/theia/static/');
    expect(pick('/theia/app.JS')).toBe('~* \\.(png|js)$');
    expect(pick('/assets/a.png')).toBe('^~ /assets/');
  });

  test('time values as ngx_parse_time reads them (ms)', () => {
    expect(parseNginxTime('60')).toBe(60_000);
    expect(parseNginxTime('60s')).toBe(60_000);
    expect(parseNginxTime('500ms')).toBe(500);
    expect(parseNginxTime('1h30m')).toBe(5_400_000);
    expect(parseNginxTime('1d')).toBe(86_400_000);
    expect(parseNginxTime('$timeout')).toBeUndefined();
  });

  test('includes: relative names and patterns are spliced in from the config folder, absolute ones are not followed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-inc-'));
    try {
      mkdirSync(path.join(dir, 'conf.d'));
      writeFileSync(path.join(dir, 'conf.d', 'b.conf'), 'b 2;\n');
      writeFileSync(path.join(dir, 'conf.d', 'a.conf'), 'a 1;\n');
      const main = parseNginx('http {\n  include conf.d/*.conf;\n  include /etc/nginx/mime.types;\n  include missing.conf;\n}\n', 'nginx.conf');
      const resolved = resolveIncludes(main, dir, (abs) => path.relative(dir, abs));
      const http = resolved.directives[0] as NginxDirective;
      expect((http.block ?? []).map((d) => `${d.file}:${d.line} ${d.name} ${d.unresolvedInclude ? 'unresolved' : ''}`.trim())).toEqual([
        'nginx.conf:2 include',
        'conf.d/a.conf:1 a',
        'conf.d/b.conf:1 b',
        'nginx.conf:3 include unresolved',
        'nginx.conf:4 include unresolved',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
