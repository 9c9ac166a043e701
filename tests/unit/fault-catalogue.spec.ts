/**
 * The fault catalogue (faults/): what every self-test reads is validated, and a broken catalogue is one line naming
 * the file and the problem, never a self-test that silently expects nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { loadClusterBreaks } from '../../src/faults/manifests';
import { faultsFor, loadFaults } from '../../src/faults/traffic';
import { PATHS } from '../../src/paths';

test('the catalogue loads, and each environment has its faults, healthy first among them', () => {
  expect(loadFaults().length).toBeGreaterThanOrEqual(11);
  expect(loadClusterBreaks().length).toBeGreaterThanOrEqual(10);
  for (const env of ['embedded', 'real-theia', 'containers', 'kind'] as const) {
    const ids = faultsFor(env).map((f) => f.id);
    expect(ids[0], `${env}: ${ids.join(', ')}`).toBe('healthy');
    expect(ids.length).toBeGreaterThan(1);
  }
});

test.describe('a broken catalogue is one line', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'socketproof-faults-'));
    cpSync(PATHS.faults, dir, { recursive: true });
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    expect(text).toContain(from);
    writeFileSync(path.join(dir, file), text.replace(from, to));
  };
  const oneLine = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('expected an error');
  };

  test('YAML that does not parse', () => {
    edit('traffic.yaml', '  - id: healthy', '  - id: healthy\n   bad: [unclosed');
    expect(oneLine(() => loadFaults(dir))).toMatch(/^\S*traffic\.yaml: not valid YAML: [^\n]+$/);
  });
  test('a field the schema does not know (a typo)', () => {
    edit('traffic.yaml', '    settings: {}\n    red: {}', '    settings: {}\n    redd: {}');
    expect(oneLine(() => loadFaults(dir))).toMatch(/^\S*traffic\.yaml: \/faults\/0 must have required property 'red'$/);
  });
  test('a cause the catalogue of causes does not have', () => {
    edit('traffic.yaml', 'handshake@lb: session-affinity', 'handshake@lb: session-afinity');
    expect(oneLine(() => loadFaults(dir))).toMatch(/^faults\/traffic\.yaml: no-affinity: handshake@lb: unknown "session-afinity" \(known: .*\)$/);
  });
  test('a check that does not exist', () => {
    edit('traffic.yaml', 'handshake@lb: session-affinity', 'handshakes@lb: session-affinity');
    expect(oneLine(() => loadFaults(dir))).toMatch(/unknown "handshakes"/);
  });
  test('a fault that does not stand up in the embedded topology', () => {
    edit('traffic.yaml', 'standsUpIn: [embedded, real-theia, containers, kind]', 'standsUpIn: [kind]');
    expect(oneLine(() => loadFaults(dir))).toMatch(/standsUpIn must contain at least 1 valid item/);
  });
  test('a cluster break naming an unknown cluster check', () => {
    edit('manifests.yaml', 'backendconfig-cdn: cdn-caching', 'backendconfig-cdm: cdn-caching');
    expect(oneLine(() => loadClusterBreaks(dir))).toMatch(/^faults\/manifests\.yaml: classic-broken-state: unknown "backendconfig-cdm"/);
  });
});
