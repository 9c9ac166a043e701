/**
 * The data behind the rules: every annotation in the registry names where it was read (repository, commit, file,
 * or a documentation page) and sits under a prefix the rule watches or a controller's status prefix; the nearest
 * real key is suggested for a made-up one; every fix id a rule or the registry names is a real fix; every rule
 * cites a source, and the README's rule table lists every rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { controllers, hintFor, isWatched, nearest } from '../../src/lint/k8s/registry';
import { rules } from '../../src/lint/rules';
import { loadFix } from '../../src/fixes/load';
import { projectRoot } from '../../src/paths';

test.describe('lint rule data', { tag: '@lint' }, () => {
  test('every registry entry says where it was read, and each controller is pinned to a version', () => {
    for (const c of controllers) {
      if (c.repo) {
        expect(c.commit, c.id).toMatch(/^[0-9a-f]{40}$/);
        for (const e of c.annotations) expect(e.file, `${c.id} ${e.key}`).toMatch(/\.go$/);
      } else expect(c.url, c.id).toMatch(/^https:\/\//);
      expect(c.version.length, c.id).toBeGreaterThan(3);
      const keys = c.annotations.map((e) => e.key);
      expect(new Set(keys).size, `${c.id}: no duplicate keys`).toBe(keys.length);
      for (const e of c.annotations) {
        const statusOrAlpha = e.writtenBy === 'controller' || e.key.startsWith('service.alpha.kubernetes.io/');
        expect(isWatched(e.key) || statusOrAlpha, `${c.id} ${e.key}`).toBe(true);
        expect(e.kinds.length).toBeGreaterThan(0);
      }
    }
    const nginx = controllers.find((c) => c.id === 'ingress-nginx');
    expect(nginx?.annotations.length).toBe(138);
  });

  test('a made-up key gets the nearest real one and, when its words say what it wanted, the real setting', () => {
    expect(nearest('cloud.google.com/websocket-max-idle-timeout')?.key).toMatch(/^cloud\.google\.com\//);
    expect(hintFor('cloud.google.com/websocket-max-idle-timeout')?.fix).toBe('backendconfig-timeout');
    expect(nearest('nginx.ingress.kubernetes.io/proxy-read-timout')).toEqual({ key: 'nginx.ingress.kubernetes.io/proxy-read-timeout', distance: 1 });
    expect(nearest('cloud.google.com/backendconfig')?.key).toBe('cloud.google.com/backend-config');
    expect(hintFor('nginx.ingress.kubernetes.io/proxy-read-timout')).toBeUndefined();
  });

  test('every fix id named by a rule, the registry or a hint is a real fix', () => {
    const ids = new Set([
      ...rules.flatMap((r) => (r.fix ? [r.fix] : [])),
      ...controllers.flatMap((c) => c.annotations.flatMap((e) => (e.fix ? [e.fix] : []))),
      'backendconfig-timeout',
      'backendconfig-session-affinity',
      'cdn-off',
      'connection-draining',
    ]);
    for (const id of ids) expect(loadFix(id).effectiveOnGke, id).toBe(true);
  });

  test('every rule cites a source: an absolute URL, or a file of this repository that exists', () => {
    for (const r of rules) {
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const s of r.sources) {
        if (/^https:\/\//.test(s.url)) continue;
        expect(existsSync(path.join(projectRoot, s.url.split('#')[0] as string)), `${r.id}: ${s.url}`).toBe(true);
      }
    }
  });

  test("the README's Lint section lists every rule with its severity", () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Lint'), readme.indexOf('\n## ', readme.indexOf('## Lint') + 1));
    for (const r of rules) expect(section, r.id).toMatch(new RegExp(`\\| \`${r.id}\` \\| ${r.severity}`));
  });
});
