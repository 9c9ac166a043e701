/**
 * Inline suppression, in YAML and nginx files alike (both use `#` comments):
 *   # socketproof-lint-disable-next-line <rule-id>[, <rule-id>…]: <reason>
 * silences those rules on the next line that holds something other than a comment or blank space. The reason is
 * required: a suppression without one, or naming a rule that does not exist, is not applied and is itself a
 * finding (lint-suppression), so a silenced rule always says why in the file.
 */
import { ruleIds } from './rules';
import type { Finding } from './types';

export const SUPPRESS = 'socketproof-lint-disable-next-line';

export interface SourceComment {
  file: string;
  line: number;
  column: number;
  /** Without the leading `#`. */
  text: string;
}

interface Suppression {
  file: string;
  targetLine: number;
  rules: string[];
}

/** The rules and reason of a suppression comment, an error sentence, or undefined for any other comment. */
export function parseSuppression(text: string): { rules: string[]; reason: string } | { error: string } | undefined {
  const body = text.trim();
  if (!body.startsWith(SUPPRESS)) return undefined;
  const rest = body.slice(SUPPRESS.length);
  const colon = rest.indexOf(':');
  const ids = (colon < 0 ? rest : rest.slice(0, colon))
    .split(/[\s,]+/)
    .filter(Boolean);
  const reason = colon < 0 ? '' : rest.slice(colon + 1).trim();
  if (ids.length === 0) return { error: `${SUPPRESS} names no rule: write "${SUPPRESS} <rule-id>: <reason>"` };
  const unknown = ids.filter((id) => !ruleIds.includes(id));
  if (unknown.length > 0) return { error: `${SUPPRESS} names unknown rule ${unknown.join(', ')} (known: see npm run lint -- --help); not applied` };
  if (reason === '') return { error: `${SUPPRESS} ${ids.join(', ')} gives no reason: write "${SUPPRESS} ${ids.join(', ')}: <why it does not apply here>"; not applied` };
  return { rules: ids, reason };
}

/** The 1-based line after `line` that is neither blank nor only a comment. */
function nextCodeLine(lines: string[], line: number): number {
  for (let l = line + 1; l <= lines.length; l++) {
    const t = (lines[l - 1] ?? '').trim();
    if (t !== '' && !t.startsWith('#')) return l;
  }
  return line + 1;
}

/** The findings with suppressed ones removed and bad suppressions added. */
export function applySuppressions(findings: Finding[], comments: SourceComment[], texts: Map<string, string>): Finding[] {
  const valid: Suppression[] = [];
  const problems: Finding[] = [];
  for (const c of comments) {
    const parsed = parseSuppression(c.text);
    if (!parsed) continue;
    if ('error' in parsed) {
      problems.push({ rule: 'lint-suppression', severity: 'warning', file: c.file, line: c.line, column: c.column, message: parsed.error });
      continue;
    }
    const lines = (texts.get(c.file) ?? '').split('\n');
    valid.push({ file: c.file, targetLine: nextCodeLine(lines, c.line), rules: parsed.rules });
  }
  const kept = findings.filter((f) => !valid.some((s) => s.file === f.file && s.targetLine === f.line && s.rules.includes(f.rule)));
  return [...kept, ...problems];
}
