/**
 * `npm run lint`: parse the command line, lint, print the report, and exit by the highest severity found against
 * `--fail-on` (default error): 0 below it, 1 at or above it, 2 bad input (one line on stderr).
 */
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { LINT_USAGE, parseLintArgs } from './options';
import { rules } from './rules';
import { highestSeverity, lintPaths } from './run';
import { LintInputError, severityRank } from './types';

export function runLintCli(argv: string[]): number {
  try {
    const cmd = parseLintArgs(argv);
    if (cmd.help) {
      console.log(`${LINT_USAGE}\n\nrules:\n${rules.map((r) => `  ${r.id.padEnd(28)} ${r.severity.padEnd(7)} ${r.title}`).join('\n')}`);
      return 0;
    }
    const report = lintPaths(cmd.paths, cmd.options);
    const print = { text: () => formatText(report), json: () => formatJson(report, cmd.options), sarif: () => formatSarif(report) }[cmd.format];
    console.log(print());
    const top = highestSeverity(report.findings);
    return top && severityRank[top] >= severityRank[cmd.failOn] ? 1 : 0;
  } catch (error) {
    if (error instanceof LintInputError) {
      console.error(`socketproof lint: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
