import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../../fixtures/base';
import { healthySettings } from '../../src/topology/defaults';
import {
  NGINX_BINARY,
  nginxArgs,
  renderLbConfig,
  renderPodConfig,
  rewriteUserPodConfig,
} from '../../src/topology/nginx-config';
import type { LoadBalancerSettings, PodSettings } from '../../src/topology/types';

const KIND_CONF = new URL('../../kind/pod/nginx.conf', import.meta.url);
const PREFIX = '/tmp/socketproof-unit/nginx-pod-0';
const backends = [
  { pod: 'pod-0', port: 41001 },
  { pod: 'pod-1', port: 41002 },
];
const healthy = healthySettings();
const pod = (p: Partial<PodSettings> = {}) =>
  renderPodConfig({ ...healthy.pod, ...p }, '/theia/', {
    listen: '127.0.0.1:40000',
    theiaPort: 3000,
    runtime: { kind: 'local', prefix: PREFIX },
  });
const lb = (l: Partial<LoadBalancerSettings> = {}) =>
  renderLbConfig({ ...healthy.lb, ...l }, backends, { listenPort: 40100, prefix: PREFIX });

/** Lines only in `a`, lines only in `b` (trimmed, blank lines ignored): what a setting changed. */
function diff(a: string, b: string): { removed: string[]; added: string[] } {
  const lines = (t: string) => t.split('\n').map((l) => l.trim()).filter(Boolean);
  const minus = (x: string[], y: string[]) => {
    const rest = [...y];
    return x.filter((l) => {
      const i = rest.indexOf(l);
      if (i >= 0) rest.splice(i, 1);
      return i < 0;
    });
  };
  return { removed: minus(lines(a), lines(b)), added: minus(lines(b), lines(a)) };
}

/** Runs the real `nginx -t` on `text` in a private prefix; returns nginx's complaint, or '' when accepted. */
function nginxTest(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'socketproof-t-'));
  try {
    writeFileSync(join(dir, 'nginx.conf'), text.replaceAll(PREFIX, dir));
    execFileSync(NGINX_BINARY, nginxArgs(dir, join(dir, 'nginx.conf'), true), { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test.describe('in-pod nginx', () => {
  test('kind/pod/nginx.conf is the template rendered for production', () => {
    const production = renderPodConfig(healthy.pod, '/theia/', {
      listen: '8080',
      theiaPort: 3000,
      runtime: { kind: 'production' },
    });
    expect(readFileSync(KIND_CONF, 'utf8'), 'regenerate kind/pod/nginx.conf from renderPodConfig').toBe(production);
  });

  test('the healthy template has the production proxy settings', () => {
    const text = pod();
    for (const line of [
      'listen 127.0.0.1:40000;',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_set_header Host $http_host;',
      'proxy_read_timeout 3600s;',
      'proxy_buffering off;',
      `return 200 '{"status":"healthy"}';`,
      'location /theia/ {',
      'proxy_pass http://127.0.0.1:3000;',
      'return 302 /theia/;',
      `pid ${PREFIX}/nginx.pid;`,
      `proxy_temp_path ${PREFIX}/proxy;`,
      'worker_connections 4096;',
    ]) {
      expect(text).toContain(line);
    }
  });

  test('forwardUpgrade=false drops exactly the Upgrade and Connection headers', () => {
    const d = diff(pod(), pod({ forwardUpgrade: false }));
    expect(d.added).toEqual([]);
    expect(d.removed.filter((l) => !l.startsWith('#'))).toEqual([
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
    ]);
  });

  test('healthEndpoint=false drops exactly the /health location', () => {
    const d = diff(pod(), pod({ healthEndpoint: false }));
    expect(d.added).toEqual([]);
    expect(d.removed.filter((l) => !l.startsWith('#'))).toEqual([
      'location = /health {',
      'default_type application/json;',
      `return 200 '{"status":"healthy"}';`,
      '}',
    ]);
  });

  test('dropSetCookie=true adds exactly proxy_hide_header Set-Cookie', () => {
    expect(diff(pod(), pod({ dropSetCookie: true }))).toEqual({ removed: [], added: ['proxy_hide_header Set-Cookie;'] });
  });

  test('stripPrefix (real Theia serves at /) maps the app prefix onto / and nothing else', () => {
    const strip = renderPodConfig(healthy.pod, '/theia/', {
      listen: '127.0.0.1:40000',
      theiaPort: 3000,
      runtime: { kind: 'local', prefix: PREFIX },
      stripPrefix: true,
    });
    const d = diff(pod(), strip);
    expect(d.removed).toEqual(['proxy_pass http://127.0.0.1:3000;']);
    expect(d.added.filter((l) => !l.startsWith('#'))).toEqual(['proxy_pass http://127.0.0.1:3000/;']);
    expect(strip).toMatch(/location \/theia\/ \{\n(\s*#.*\n)*\s*proxy_pass http:\/\/127\.0\.0\.1:3000\/;/);
  });
});

test.describe('load balancer nginx', () => {
  test('client-ip affinity hashes the client address (not ip_hash), none is round robin', () => {
    const d = diff(lb({ affinity: 'none' }), lb({ affinity: 'client-ip' }));
    expect(d.removed).toEqual([]);
    expect(d.added.filter((l) => !l.startsWith('#'))).toEqual(['hash $remote_addr;']);
    expect(lb().replace(/#.*$/gm, '')).not.toContain('ip_hash');
    expect(lb()).toContain('server 127.0.0.1:41001 max_fails=0;');
  });

  test('cookie affinity routes by GCLB and sets it from the pod that answered', () => {
    const text = lb({ affinity: 'cookie' });
    expect(text).toContain('proxy_pass http://$backend;');
    expect(text).toMatch(/map \$cookie_GCLB \$backend \{\s+default pods;\s+pod-0 pod_0;\s+pod-1 pod_1;/);
    expect(text).toContain("~:41002$ 'GCLB=pod-1; Path=/; HttpOnly';");
    expect(text).toContain('add_header Set-Cookie $gclb_set_cookie always;');
    expect(text).not.toContain('hash $remote_addr');
  });

  test('forwardUpgrade=false drops the headers but keeps HTTP/1.1 (the "forgot the headers" mistake)', () => {
    const d = diff(lb(), lb({ forwardUpgrade: false }));
    expect(d).toEqual({
      removed: ['proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;'],
      added: [],
    });
    expect(lb({ forwardUpgrade: false })).toContain('proxy_http_version 1.1;');
  });

  test('rewriteHost and idleTimeoutMs change exactly their directives', () => {
    expect(diff(lb(), lb({ rewriteHost: 'theia.internal' }))).toEqual({
      removed: ['proxy_set_header Host $http_host;'],
      added: ['proxy_set_header Host theia.internal;'],
    });
    expect(diff(lb(), lb({ idleTimeoutMs: 2500 }))).toEqual({
      removed: ['proxy_read_timeout 3600000ms;', 'proxy_send_timeout 3600000ms;'],
      added: ['proxy_read_timeout 2500ms;', 'proxy_send_timeout 2500ms;'],
    });
  });

  test('cdnCache caches by path only and shows the cache status', () => {
    const d = diff(lb(), lb({ cdnCache: true }));
    expect(d.removed).toEqual(['proxy_buffering off;']); // nginx caches only buffered responses
    expect(d.added).toEqual(
      expect.arrayContaining([
        `proxy_cache_path ${PREFIX}/cdn keys_zone=cdn:1m;`,
        'proxy_cache cdn;',
        'proxy_cache_key $scheme$host$uri;',
        'proxy_ignore_headers Cache-Control Expires Set-Cookie Vary;',
        'add_header X-Cache-Status $upstream_cache_status always;',
      ]),
    );
  });
});

test('nginx -t accepts every combination of settings', () => {
  const bools = [true, false];
  for (const forwardUpgrade of bools)
    for (const healthEndpoint of bools)
      for (const dropSetCookie of bools) expect(nginxTest(pod({ forwardUpgrade, healthEndpoint, dropSetCookie }))).toBe('');
  for (const affinity of ['none', 'client-ip', 'cookie'] as const)
    for (const forwardUpgrade of bools)
      for (const cdnCache of bools)
        for (const rewriteHost of [undefined, 'example.test'])
          expect(nginxTest(lb({ affinity, forwardUpgrade, cdnCache, rewriteHost }))).toBe('');
});

test.describe("a user's own pod config", () => {
  const place = { listenPort: 40000, theiaPort: 3000, prefix: PREFIX };

  test('rewriting kind/pod/nginx.conf gives exactly the local template', () => {
    expect(rewriteUserPodConfig(readFileSync(KIND_CONF, 'utf8'), place)).toBe(pod());
  });

  test('a config with an upstream block, user, daemon and two listens moves to loopback and the prefix', () => {
    const user = [
      'user www-data;',
      'daemon on;',
      'worker_processes auto;',
      'events { worker_connections 1024; }',
      'http {',
      '    include mime.types;',
      '    access_log /var/log/nginx/access.log;',
      '    upstream theia_backend {',
      '        server localhost:3000 max_fails=0;',
      '    }',
      '    server {',
      '        listen 80 default_server;',
      '        listen [::]:80 default_server;',
      '        server_name _;  # a server_name is not an upstream',
      '        location /theia/ {',
      '            proxy_pass http://theia_backend;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection "upgrade";',
      '        }',
      '        location /api/ { proxy_pass http://127.0.0.1:3000/api/; }',
      '        location /other/ { proxy_pass http://10.0.0.5:3000; }',
      '    }',
      '}',
    ].join('\n');
    const text = rewriteUserPodConfig(user, { ...place, theiaPort: 45678 });
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).not.toContain('user www-data;');
    expect(lines).not.toContain('daemon on;');
    expect(lines.slice(0, 3)).toEqual([`pid ${PREFIX}/nginx.pid;`, `error_log ${PREFIX}/error.log notice;`, 'error_log stderr notice;']);
    expect(lines.filter((l) => l.startsWith('listen'))).toEqual(['listen 127.0.0.1:40000 default_server;']);
    expect(lines).toContain('server 127.0.0.1:45678 max_fails=0;');
    expect(lines).toContain('location /api/ { proxy_pass http://127.0.0.1:45678/api/; }');
    expect(lines).toContain('location /other/ { proxy_pass http://10.0.0.5:3000; }'); // not loopback: left alone
    expect(lines).toContain('proxy_pass http://theia_backend;');
    expect(lines).toContain('proxy_set_header Connection "upgrade";'); // the user's proxy settings stay as written
    expect(lines).toContain('include /etc/nginx/mime.types;');
    expect(lines).toContain(`access_log ${PREFIX}/access.log;`);
    expect(lines).toContain(`client_body_temp_path ${PREFIX}/client_body;`);
    expect(nginxTest(text)).toBe('');
  });
});
