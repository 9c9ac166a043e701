/**
 * Fixes are data, and their claims hold: every fix file is valid; the fix of each break in the cluster break
 * matrix turns every cluster check green (merged locally, as the files source previews it); the trap changes no
 * verdict and no local traffic setting; each fix's `traffic` list is exactly what the fault matrix says the
 * setting it changes turns red.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { clusterExpectation } from '../../src/cluster/expectation';
import { runClusterChecks } from '../../src/cluster/registry';
import { FixError, fixObjects, listFixes, loadFix, loadFixes, loadFixFile } from '../../src/fixes/load';
import { loadManifestSet } from '../../src/k8s/manifests';
import { objectsSource } from '../../src/k8s/object-source';
import { type K8sObject, mergeObjects, patchObjects } from '../../src/k8s/objects';
import { settingsFromObjects } from '../../src/k8s/topology-from-objects';
import { loadFaults } from '../../src/faults/traffic';
import { loadTarget } from '../../src/targets/load';
import { loadClusterBreaks, outcomeTable } from '../../src/faults/manifests';

const expectation = clusterExpectation(loadTarget('local'));
const run = async (objects: K8sObject[]) => outcomeTable(await runClusterChecks({ source: objectsSource(objects, 'test'), expect: expectation }));
const allGreen = (t: Record<string, string>) => Object.fromEntries(Object.keys(t).map((k) => [k, 'ok']));
const withFixes = (objects: K8sObject[], ids: string[]) => ids.reduce((o, id) => mergeObjects(o, fixObjects(loadFix(id), expectation)), objects);

test.describe('fixes as data', { tag: '@unit' }, () => {
  test('every fix file loads, and the required fixes exist', () => {
    const ids = loadFixes().map((f) => f.id);
    for (const id of ['backendconfig-session-affinity', 'backendconfig-timeout', 'cdn-off', 'routing-to-combined-service', 'service-session-affinity']) {
      expect(ids).toContain(id);
    }
    expect(ids).toEqual(listFixes());
  });

  test('the trap is marked: not effective on GKE, with the reason, proving nothing', () => {
    const trap = loadFix('service-session-affinity');
    expect(trap.effectiveOnGke).toBe(false);
    expect(trap.ineffectiveReason).toContain('kubernetes/kubernetes#53886');
    expect(trap.proves).toEqual([]);
    expect(trap.traffic).toEqual([]);
  });

  test('errors are one line: unknown id, invalid YAML, wrong shape, unknown check, id ≠ file name', () => {
    expect(() => loadFix('nope')).toThrow(/^unknown fix "nope": known fixes are backendconfig-attach, /);
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-fix-'));
    const write = (name: string, text: string) => {
      const file = path.join(dir, `${name}.yaml`);
      writeFileSync(file, text);
      return file;
    };
    const valid = loadFix('cdn-off');
    const yaml = (o: object) => JSON.stringify({ ...valid, file: undefined, ...o });
    expect(() => loadFixFile(write('broken', 'id: broken\ntitle: [unclosed\n'))).toThrow(/^\/\S+\/broken\.yaml: not valid YAML: [^\n]+$/);
    expect(() => loadFixFile(write('no-objects', yaml({ id: 'no-objects', objects: [] })))).toThrow(/no-objects\.yaml: invalid fix: objects must NOT have fewer than 1 items$/);
    expect(() => loadFixFile(write('bad-check', yaml({ id: 'bad-check', proves: ['backendconfig-cdn', 'cdn-check'] })))).toThrow(/bad-check\.yaml: proves names "cdn-check", which is not one of service-backend-config, /);
    expect(() => loadFixFile(write('renamed', yaml({ id: 'cdn-off' })))).toThrow(/renamed\.yaml: id "cdn-off" must equal the file name "renamed"$/);
    expect(() => loadFixFile(write('trap', yaml({ id: 'trap', effectiveOnGke: false })))).toThrow(/trap\.yaml: invalid fix: \(root\) must have required property 'ineffectiveReason'$/);
    expect(() => loadFixFile(path.join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: no such file$/);
    const other = { namespace: 'theia', names: { ...expectation.names, backendConfig: 'other-bc' } };
    expect(() => fixObjects(valid, other)).toThrow(FixError);
  });

  for (const b of loadClusterBreaks().filter((x) => x.fixedBy)) {
    test(`${b.fixedBy} repairs break ${b.id}: every cluster check green`, async () => {
      const fix = loadFix(b.fixedBy as string);
      const broken = patchObjects(loadManifestSet(b.set ?? 'healthy'), b.patches ?? []);
      const before = await run(broken);
      for (const id of fix.proves) expect(Object.keys(b.red), `${b.id} breaks what ${fix.id} proves`).toContain(id);
      expect(Object.values(before).some((x) => x !== 'ok')).toBe(true);
      const after = await run(mergeObjects(broken, fixObjects(fix, expectation)));
      expect(after).toEqual(allGreen(after));
    });
  }

  test('every effective fix repairs some break of the matrix', () => {
    const used = new Set(loadClusterBreaks().map((b) => b.fixedBy));
    for (const f of loadFixes().filter((x) => x.effectiveOnGke)) expect(used.has(f.id), `${f.id} has no break in faults/manifests.yaml`).toBe(true);
  });

  test('broken + every effective fix = every cluster check green except drift; the trap changes nothing', async () => {
    const broken = loadManifestSet('broken');
    const effective = loadFixes().filter((f) => f.effectiveOnGke).map((f) => f.id);
    const fixed = withFixes(broken, effective);
    const after = await run(fixed);
    expect(after).toEqual(allGreen(after));
    for (const base of [broken, fixed]) {
      const trapped = withFixes(base, ['service-session-affinity']);
      expect(await run(trapped)).toEqual(await run(base));
      expect(await settingsFromObjects(objectsSource(trapped, 't'))).toEqual(await settingsFromObjects(objectsSource(base, 'b')));
    }
  });

  test("each fix's traffic list is what the fault matrix turns red for the setting it changes", async () => {
    const broken = loadManifestSet('broken');
    const effective = loadFixes().filter((f) => f.effectiveOnGke);
    const faults = loadFaults();
    const all = (await settingsFromObjects(objectsSource(withFixes(broken, effective.map((f) => f.id)), 'all'))).lb ?? {};
    for (const fix of effective) {
      const without = (await settingsFromObjects(objectsSource(withFixes(broken, effective.filter((f) => f !== fix).map((f) => f.id)), 'without'))).lb ?? {};
      const changed = (Object.keys(all) as (keyof typeof all)[]).filter((k) => all[k] !== without[k]);
      if (fix.traffic.length === 0) {
        expect(changed, `${fix.id} declares no traffic effect`).toEqual([]);
        continue;
      }
      const fault = faults.find((f) => Object.keys(f.settings.lb ?? {}).join() === changed.join());
      expect(fault, `${fix.id} changes lb.${changed.join(', lb.')}: no fault in the fault matrix does that alone`).toBeDefined();
      const redAtLb = Object.keys(fault?.red ?? {}).filter((k) => k.endsWith('@lb')).map((k) => k.replace(/@lb$/, ''));
      expect([...fix.traffic].sort(), `${fix.id} vs fault ${fault?.id}`).toEqual(redAtLb.sort());
    }
  });
});
