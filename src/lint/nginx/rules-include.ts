/** One info per include the linter could not follow (includes.ts says which and why). */
import type { Finding } from '../types';
import type { NginxConfig, NginxDirective } from './parser';

export function includeRules(config: NginxConfig): Finding[] {
  const findings: Finding[] = [];
  const visit = (ds: NginxDirective[]) => {
    for (const d of ds) {
      if (d.unresolvedInclude) {
        findings.push({
          rule: 'nginx-include-unresolved',
          severity: 'info',
          file: d.file,
          line: d.line,
          column: d.column,
          message: `include ${d.args[0]?.value ?? ''} is not followed (absolute, or not next to this file): the rules assume it sets no proxy_* directive`,
        });
      }
      if (d.block) visit(d.block);
    }
  };
  visit(config.directives);
  return findings;
}
