/** The machine report: every finding with its rule's meaning, fix command and sources, and the run's summary. */
import { rule } from '../rules';
import type { LintReport } from '../run';
import type { LintOptions } from '../types';
import { fixCommand } from './text';

export function formatJson(report: LintReport, options: LintOptions): string {
  const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
  return JSON.stringify(
    {
      tool: 'socketproof-lint',
      options,
      summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), files: report.files.length, objects: report.objects, nginxConfigs: report.nginxConfigs },
      findings: report.findings.map((f) => {
        const r = rule(f.rule);
        return { ...f, title: r.title, meaning: r.meaning, ...(f.fix ? { fixCommand: fixCommand(f.fix) } : {}), sources: r.sources };
      }),
    },
    null,
    2,
  );
}
