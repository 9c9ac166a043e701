/**
 * Every rule has a fixture that raises it and one that does not (tests/lint/fixtures/rules/<rule-id>/): the bad
 * one raises it exactly on the lines its markers name, with the severity they name, and nowhere else; the good
 * one does not raise it at all.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { ruleIds } from '../../src/lint/rules';
import { fixtureEntry, fixtureOptions, key, lint, markers, ruleFixturesDir } from './harness';

test.describe('each lint rule: a file that triggers it, one that does not', { tag: '@lint' }, () => {
  test('every rule has a fixture folder with bad and good, and every folder is a rule', () => {
    const folders = readdirSync(ruleFixturesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual([...ruleIds].sort());
    for (const id of ruleIds) {
      const dir = path.join(ruleFixturesDir, id);
      expect(fixtureEntry(dir, 'bad'), `${id}: bad fixture`).toBeTruthy();
      expect(fixtureEntry(dir, 'good'), `${id}: good fixture`).toBeTruthy();
    }
  });

  for (const id of ruleIds) {
    test(`${id}`, () => {
      const dir = path.join(ruleFixturesDir, id);
      const options = fixtureOptions(dir);
      const bad = fixtureEntry(dir, 'bad') as string;
      const good = fixtureEntry(dir, 'good') as string;
      const expected = markers(bad).filter((m) => m.rule === id);
      expect(expected.length, `${bad} has markers for ${id}`).toBeGreaterThan(0);
      const found = lint(bad, options).findings.filter((f) => f.rule === id);
      expect(found.map(key).sort(), `${id} on ${path.relative(ruleFixturesDir, bad)}`).toEqual(expected.map(key).sort());
      for (const f of found) {
        expect(f.message.length, 'a finding says what is wrong').toBeGreaterThan(20);
        expect(f.column).toBeGreaterThan(0);
      }
      const clean = lint(good, options).findings.filter((f) => f.rule === id);
      expect(clean.map((f) => `${key(f)} ${f.message}`), `${id} on ${path.relative(ruleFixturesDir, good)}`).toEqual([]);
    });
  }
});
