import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { targetAtHop } from '../../src/targets/hop-paths';
import { loadTarget, loadTargetFile, TargetError, withHopUrls } from '../../src/targets/load';

const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-targets-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

test.describe('target files', () => {
  test('the local target loads with its defaults filled in', () => {
    const t = loadTarget('local');
    expect(t.kind).toBe('embedded');
    expect(t.hops.map((h) => h.name)).toEqual(['pod', 'pod-nginx', 'lb']);
    expect(t.expect.namespace).toBe('/services');
  });

  test('broken YAML fails in one line naming the file', () => {
    const f = file('broken.yaml', 'name: x\n  kind: [embedded\n');
    expect(() => loadTargetFile(f)).toThrow(TargetError);
    expect(() => loadTargetFile(f)).toThrow(/broken\.yaml: not valid YAML: /);
    try {
      loadTargetFile(f);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });

  test('a wrong field is named with the reason', () => {
    const local = loadTarget('local');
    const f = file('bad-ping.yaml', JSON.stringify({ ...local, expect: { ...local.expect, pingInterval: 'fast' } }));
    expect(() => loadTargetFile(f)).toThrow(/invalid target: expect\.pingInterval must be integer/);
  });

  test('an unknown field is refused, not ignored', () => {
    const local = loadTarget('local');
    const f = file('typo.yaml', JSON.stringify({ ...local, sesionLengthMs: 5 }));
    expect(() => loadTargetFile(f)).toThrow(/must NOT have additional properties "sesionLengthMs"/);
  });

  test('a remote hop must have an http(s) URL', () => {
    const local = loadTarget('local');
    const f = file('remote.yaml', JSON.stringify({ ...local, kind: 'remote', hops: [{ name: 'lb', url: 'theia.example.com' }] }));
    expect(() => loadTargetFile(f)).toThrow(/hops\.lb\.url "theia\.example\.com" is not an http\(s\) URL/);
  });

  test('embedded hop URLs come from the running topology', () => {
    const t = withHopUrls(loadTarget('local'), { pod: 'http://127.0.0.1:1', 'pod-nginx': 'http://127.0.0.1:2', lb: 'http://127.0.0.1:3' });
    expect(t.hops.map((h) => h.url)).toEqual(['http://127.0.0.1:1', 'http://127.0.0.1:2', 'http://127.0.0.1:3']);
    expect(() => withHopUrls(loadTarget('local'), {})).toThrow(/has no hop "pod"/);
  });

  test("a hop with its own appPath (real Theia at / behind a prefix-stripping proxy) moves the socket path along", () => {
    const t = loadTarget('local-theia');
    const [pod, podNginx] = t.hops;
    if (!pod || !podNginx) throw new Error('local-theia has pod and pod-nginx hops');
    expect(targetAtHop(t, pod)).toMatchObject({ appPath: '/', socketPath: '/socket.io/' });
    expect(targetAtHop(t, podNginx)).toBe(t);
  });
});
