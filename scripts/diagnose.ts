/**
 * Diagnose: every check on every hop of a target, one table of verdicts and causes, no test runner.
 *   npm run diagnose -- local                          the embedded topology (SOCKETPROOF_FAULT=<id> injects a fault)
 *   npm run diagnose -- production [--no-browser]      a remote target (read-only checks only, as in the smoke run)
 * When the target names its manifests (cluster.desired), they are linted too; the output ends with the fixes
 * (fixes/*.yaml) that address the red causes and lint findings, best first, each with its apply-fix command.
 * Exit code: 0 all green, 1 something is red (or a lint error), 2 bad input.
 */
import { chromium } from '@playwright/test';
import { causes } from '../src/causes/catalogue';
import { formatVerdictTable, runAllChecks } from '../src/checks/run-all';
import { chromiumExecutable } from '../src/browser/chromium';
import { runbookUrl } from '../src/causes/runbooks';
import { openRuntime } from '../src/runtime/open';
import { certificatesDir } from '../src/runtime/embedded-settings';
import { browserNetwork } from '../src/tls/browser-launch';
import { TargetError } from '../src/targets/load';
import { formatFixRanking, rankFixes } from '../src/fixes/rank';
import { loadFixes } from '../src/fixes/load';
import { summaryLine } from '../src/lint/format/text';
import { lintTargetManifests } from '../src/lint/target';

const name = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!name) {
  console.error('usage: npm run diagnose -- <target> [--no-browser]');
  process.exit(2);
}

let runtime: Awaited<ReturnType<typeof openRuntime>>;
try {
  runtime = await openRuntime(name);
} catch (error) {
  console.error(`socketproof diagnose: ${error instanceof TargetError ? error.message : (error as Error).message.split('\n')[0]}`);
  process.exit(2);
}
// The browser trusts and reaches what the Node probes do (SOCKETPROOF_CA_FILE, the embedded HTTPS target's CA and name).
const net = browserNetwork(runtime.target, { dir: certificatesDir, make: true });
const browser = process.argv.includes('--no-browser')
  ? undefined
  : await chromium.launch({ executablePath: chromiumExecutable(), args: ['--disable-quic', ...net.args], env: net.env });
try {
  const page = browser ? await browser.newPage({ extraHTTPHeaders: runtime.headers }) : undefined;
  const verdicts = await runAllChecks(runtime.target, { page, headers: runtime.headers, ca: runtime.ca, resolve: runtime.resolve });
  console.log(`socketproof diagnose: ${runtime.target.name}\n`);
  console.log(formatVerdictTable(verdicts));
  const red = verdicts.filter((v) => !v.ok);
  for (const cause of new Set(red.map((v) => v.cause))) {
    if (cause) console.log(`\n${cause}: ${causes[cause].title}\n  fix: ${causes[cause].likelyFix}\n  runbook: ${runbookUrl(cause)}`);
  }
  const lint = lintTargetManifests(runtime.target);
  const findings = lint?.report.findings.filter((f) => f.severity !== 'info') ?? [];
  if (lint) {
    console.log(`\nlint ${lint.dir}: ${summaryLine(lint.report)}`);
    for (const f of findings) console.log(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}`);
  }
  const redCauses = [...new Set(red.flatMap((v) => (v.cause ? [v.cause] : [])))];
  const ranking = rankFixes(verdicts, findings.flatMap((f) => (f.fix ? [f.fix] : [])), loadFixes());
  console.log(`\n${formatFixRanking(ranking, redCauses)}`);
  process.exitCode = red.length > 0 || findings.some((f) => f.severity === 'error') ? 1 : 0;
} finally {
  await browser?.close();
  await runtime.topology?.stop();
}
