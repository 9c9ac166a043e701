/**
 * The human report: findings grouped by file, each with its line of source, the fix to run where one applies, and
 * at the end what each rule that fired means for Socket.IO and where the rule comes from.
 */
import { rule } from '../rules';
import type { LintReport } from '../run';
import type { Finding } from '../types';

export function fixCommand(fix: string): string {
  return `npx tsx scripts/apply-fix.ts ${fix}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(report: LintReport): string {
  const count = (s: Finding['severity']) => report.findings.filter((f) => f.severity === s).length;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')} in ${plural(report.files.length, 'file')} (${plural(report.objects, 'object')}, ${plural(report.nginxConfigs, 'nginx config')})`;
}

export function formatText(report: LintReport): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    out.push(file);
    const lines = (report.texts.get(file) ?? '').split('\n');
    for (const f of findings) {
      out.push(`  ${`${f.line}:${f.column}`.padEnd(7)} ${f.severity.padEnd(7)} ${f.rule}  ${f.message}`);
      const source = lines[f.line - 1];
      if (source !== undefined) out.push(`          ${String(f.line).padStart(4)} | ${source.trimEnd()}`);
      if (f.fix) out.push(`          fix: ${fixCommand(f.fix)}`);
    }
    out.push('');
  }
  const fired = [...new Set(report.findings.map((f) => f.rule))].sort();
  if (fired.length > 0) {
    out.push('What the rules mean for Socket.IO:');
    for (const id of fired) {
      const r = rule(id);
      out.push(`  ${id}: ${r.meaning}`);
      for (const s of r.sources) out.push(`    source: ${s.title} — ${s.url}`);
    }
    out.push('');
  }
  out.push(summaryLine(report));
  return out.join('\n');
}
