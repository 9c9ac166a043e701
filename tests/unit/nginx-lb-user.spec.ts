/**
 * A user's own LB config on loopback (src/topology/nginx-lb-user.ts): which servers become which pods, what is left
 * out, the one-line wiring errors with the user's line, and the copy's line numbers equal to the user's.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { LbConfigError, lbWiring, rewriteUserLbConfig } from '../../src/topology/nginx-lb-user';
import { parseStatements } from '../../src/topology/nginx-statements';
import { userLbConfigProblem, userPodConfigProblem } from '../../src/topology/user-config-check';

const dir = new URL('../self/lb-configs/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const place = { listenPort: 40100, backendPorts: [41001, 41002], prefix: '/tmp/socketproof-unit/nginx-lb' };
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('the upstream servers become the pods in order, parameters and balancing kept', () => {
  const out = rewriteUserLbConfig(read('edge-ip-hash.conf'), place);
  expect(out).toContain('ip_hash;');
  expect(out).toContain('server 127.0.0.1:41001 max_fails=3 fail_timeout=10s;');
  expect(out).toContain('server 127.0.0.1:41002 max_fails=3 fail_timeout=10s;');
  expect(out).not.toContain('svc.cluster.local');
  expect(out).toMatch(/listen 127\.0\.0\.1:40100;/);
  // TLS and the redirect-only server are gone; no other listen remains (as root nginx would bind *:80).
  expect(out).not.toMatch(/ssl_|return 301|listen 80|listen 443/);
  expect(out.match(/\blisten\b/g)).toHaveLength(1);
  expect(out).not.toMatch(/\/var\/log|\/run\/nginx|^user /m);
});

test('the copy keeps every line of the user\'s at its number', () => {
  for (const name of ['edge-ip-hash.conf', 'edge-cookie.conf', 'cache-polling.conf']) {
    const text = read(name);
    const out = rewriteUserLbConfig(text, place);
    expect(out.split('\n')).toHaveLength(text.split('\n').length);
    expect(lineOf(out, 'proxy_pass http://theia')).toBe(lineOf(text, 'proxy_pass http://theia'));
  }
});

test('the same address in several upstreams is one pod (cookie routing to per-pod upstreams)', () => {
  const text = [
    'events {}',
    'http {',
    '  upstream all { hash $cookie_route; server 10.0.0.5:8080; server 10.0.0.6:8080; }',
    '  upstream a { server 10.0.0.5:8080; }',
    '  upstream b { server 10.0.0.6:8080; }',
    '  map $cookie_route $to { default all; a a; b b; }',
    '  server { listen 80; location / { proxy_pass http://$to; } }',
    '}',
  ].join('\n');
  expect(lbWiring(text).pods.map((p) => p.address)).toEqual(['10.0.0.5:8080', '10.0.0.6:8080']);
  const out = rewriteUserLbConfig(text, place);
  expect(out).toContain('upstream a { server 127.0.0.1:41001; }');
  expect(out).toContain('upstream b { server 127.0.0.1:41002; }');
  expect(out).toContain('proxy_pass http://$to;');
});

test('wiring errors name the user\'s line', () => {
  const error = (text: string) => {
    try {
      lbWiring(text);
    } catch (e) {
      return e instanceof LbConfigError ? e.message : String(e);
    }
    return 'no error';
  };
  expect(error(read('service-address.conf'))).toMatch(/^line 8: proxy_pass http:\/\/theia\.theia\.svc\.cluster\.local:8080 names no upstream/);
  expect(error('events {}\nhttp {\n upstream t {\n  server svc:80;\n }\n server { listen 80; location / { proxy_pass http://t; } }\n}')).toMatch(
    /^line 4: upstream t has one server \(svc:80\)/,
  );
  expect(error('events {}\nhttp { server { listen 80; return 200; } }')).toMatch(/no proxy_pass/);
});

test('$host is sent as $http_host only where the config listens on 80/443', () => {
  expect(rewriteUserLbConfig(read('edge-cookie.conf'), place)).toContain('proxy_set_header Host $http_host;');
  expect(rewriteUserLbConfig(read('host-port-dropped.conf'), place)).toContain('proxy_set_header Host $host;');
});

test('nginx -t speaks first, with the user\'s line; then the wiring', () => {
  const file = new URL('unparsable.conf', dir).pathname;
  expect(userLbConfigProblem(file)).toBe(`${file}: nginx -t refuses it: [emerg] unexpected "}" in ${file}:10`);
  expect(userLbConfigProblem(new URL('edge-ip-hash.conf', dir).pathname)).toBeUndefined();
});

test('statements: quotes, comments and multi-line directives', () => {
  const sts = parseStatements("a 'x;y' # c;\n  \"b\nc\";\nb {\n d;\n}\n");
  expect(sts.map((s) => [s.words, s.line, s.context])).toEqual([
    [['a', 'x;y', 'b\nc'], 1, []],
    [['b'], 4, []],
    [['d'], 5, ['b']],
  ]);
});

test('a relative path to the config names the user\'s line too (nginx resolves -c against its prefix)', () => {
  const pod = 'tests/self/user-configs/unparsable.conf';
  expect(userPodConfigProblem(pod)).toBe(`${pod}: nginx -t refuses it: [emerg] unexpected "}" in ${pod}:6`);
  const lb = 'tests/self/lb-configs/unparsable.conf';
  expect(userLbConfigProblem(lb)).toBe(`${lb}: nginx -t refuses it: [emerg] unexpected "}" in ${lb}:10`);
});
