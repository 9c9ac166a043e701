/**
 * SARIF 2.1.0 (OASIS; schema in schemas/sarif-schema-2.1.0.json, validated by a test) so code hosts annotate the
 * lines: GitHub code scanning reads it through github/codeql-action/upload-sarif. Locations are relative to
 * %SRCROOT% (the working directory the lint ran in: the repository root in CI). Severity info is SARIF's `note`.
 */
import { pathToFileURL } from 'node:url';
import { rule, rules } from '../rules';
import type { LintReport } from '../run';
import type { Severity } from '../types';
import { fixCommand } from './text';

const level: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const absolute = (url: string) => /^https?:\/\//.test(url);

export function formatSarif(report: LintReport, cwd = process.cwd()): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'socketproof-lint',
              rules: rules.map((r) => {
                const help = [r.meaning, r.fix ? `Fix: ${fixCommand(r.fix)}` : '', ...r.sources.map((s) => `Source: ${s.title} — ${s.url}`)].filter(Boolean);
                const helpUri = r.sources.map((s) => s.url).find(absolute);
                return {
                  id: r.id,
                  name: r.id,
                  shortDescription: { text: r.title },
                  fullDescription: { text: r.meaning },
                  ...(helpUri ? { helpUri } : {}),
                  help: { text: help.join('\n') },
                  defaultConfiguration: { level: level[r.severity] },
                  properties: { ...(r.fix ? { fix: r.fix } : {}), sources: r.sources.map((s) => s.url) },
                };
              }),
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href}/` } },
          results: report.findings.map((f) => ({
            ruleId: f.rule,
            ruleIndex: ruleIndex.get(f.rule),
            level: level[f.severity],
            message: { text: f.fix ? `${f.message} — fix: ${fixCommand(f.fix)}` : f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                  region: { startLine: f.line, startColumn: f.column },
                },
              },
            ],
            properties: { meaning: rule(f.rule).meaning, ...(f.fix ? { fix: f.fix, fixCommand: fixCommand(f.fix) } : {}) },
          })),
        },
      ],
    },
    null,
    2,
  );
}
