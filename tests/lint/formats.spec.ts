/**
 * The three report formats. SARIF is validated against the published SARIF 2.1.0 schema (schemas/, from
 * oasis-tcs/sarif-spec) with Ajv, formats included (uri, uri-reference, date-time: checked with the URL parser
 * and Date, as Ajv's own format package is not installed); a deliberately broken log must fail the same
 * validation, so a green result means something.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { Ajv } from 'ajv';
import { formatJson } from '../../src/lint/format/json';
import { formatSarif } from '../../src/lint/format/sarif';
import { formatText } from '../../src/lint/format/text';
import { rules } from '../../src/lint/rules';
import type { LintReport } from '../../src/lint/run';
import { projectRoot } from '../../src/paths';
import { defaultLintOptions } from '../../src/lint/types';
import { fixtureEntry, lint, ruleFixturesDir } from './harness';

const schema = JSON.parse(readFileSync(path.join(projectRoot, 'schemas/sarif-schema-2.1.0.json'), 'utf8')) as object;
// unicodeRegExp off: the schema's `language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) has a stray `]`
// that JavaScript's unicode mode rejects; without the `u` flag it compiles as JSON Schema's ECMA-262 regexes do.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validateSarif = ajv.compile(schema);

/** Every rule's bad fixture, each linted on its own (their objects share names), merged: every rule fires. */
function everyRule(): LintReport {
  const reports = rules.map((r) => lint(fixtureEntry(path.join(ruleFixturesDir, r.id), 'bad') as string));
  return {
    findings: reports.flatMap((r) => r.findings),
    files: reports.flatMap((r) => r.files),
    objects: reports.reduce((n, r) => n + r.objects, 0),
    nginxConfigs: reports.reduce((n, r) => n + r.nginxConfigs, 0),
    texts: new Map(reports.flatMap((r) => [...r.texts])),
  };
}

test.describe('lint report formats', { tag: '@lint' }, () => {
  test('SARIF validates against the published SARIF 2.1.0 schema, for the broken set and with every rule firing', () => {
    for (const report of [lint(path.join(projectRoot, 'kind/manifests/broken')), everyRule()]) {
      const sarif = JSON.parse(formatSarif(report));
      expect(validateSarif(sarif), ajv.errorsText(validateSarif.errors)).toBe(true);
      const run = sarif.runs[0];
      expect(run.results).toHaveLength(report.findings.length);
      for (const [i, r] of run.results.entries()) {
        const f = report.findings[i];
        expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
        expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f?.severity ?? 'error']);
        expect(r.locations[0].physicalLocation.region).toEqual({ startLine: f?.line, startColumn: f?.column });
        expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
      }
    }
    expect(new Set(everyRule().findings.map((f) => f.rule))).toEqual(new Set(rules.map((r) => r.id)));
  });

  test('the SARIF validation is not vacuous: a broken log fails it', () => {
    const sarif = JSON.parse(formatSarif(lint(path.join(projectRoot, 'kind/manifests/broken'))));
    sarif.runs[0].results[0].level = 'info';
    expect(validateSarif(sarif)).toBe(false);
    delete sarif.version;
    expect(validateSarif(sarif)).toBe(false);
  });

  test('JSON: each finding with its meaning, fix command and sources; a summary', () => {
    const report = lint(path.join(projectRoot, 'kind/manifests/broken'));
    const json = JSON.parse(formatJson(report, defaultLintOptions));
    expect(json.summary).toEqual({ errors: 4, warnings: 0, infos: 0, files: 5, objects: 5, nginxConfigs: 0 });
    for (const f of json.findings) {
      expect(f).toMatchObject({ rule: expect.any(String), severity: 'error', file: expect.any(String), line: expect.any(Number), column: expect.any(Number) });
      expect(f.meaning.length).toBeGreaterThan(40);
      expect(f.sources.length).toBeGreaterThan(0);
      expect(f.fixCommand).toBe(`npx tsx scripts/apply-fix.ts ${f.fix}`);
    }
  });

  test('text: grouped by file, each finding with its line of source and fix, then what the rules mean, then a summary', () => {
    const text = formatText(lint(path.join(projectRoot, 'kind/manifests/broken')));
    const lines = text.split('\n');
    const at = lines.indexOf('kind/manifests/broken/service.yaml');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}15:20 +error +service-affinity-ignored {2}Service theia\/theia sessionAffinity ClientIP/);
    expect(lines[at + 2]).toBe('            15 |   sessionAffinity: ClientIP');
    expect(lines[at + 3]).toBe('          fix: npx tsx scripts/apply-fix.ts backendconfig-session-affinity');
    expect(text).toContain('What the rules mean for Socket.IO:');
    expect(text).toContain('source: kubernetes/kubernetes#53886');
    expect(lines.at(-1)).toBe('4 errors, 0 warnings, 0 infos in 5 files (5 objects, 0 nginx configs)');
  });
});
