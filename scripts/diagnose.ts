/**
 * Diagnose: every check on every hop of a target, one table of verdicts and causes, no test runner.
 *   npm run diagnose -- local                          the embedded topology (SOCKETPROOF_FAULT=<id> injects a fault)
 *   npm run diagnose -- production [--no-browser]      a remote target (read-only checks only, as in the smoke run)
 * Exit code: 0 all green, 1 something is red, 2 bad input.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { causes } from '../src/causes/catalogue';
import { formatVerdictTable, runAllChecks } from '../src/checks/run-all';
import { certificatesDir, openRuntime } from '../fixtures/runtime';
import { browserNetwork } from '../src/tls/browser-launch';
import { TargetError } from '../src/targets/load';

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
const debianChromium = '/usr/lib/chromium/chromium';
const executablePath = process.env.SOCKETPROOF_CHROMIUM ?? (existsSync(debianChromium) ? debianChromium : undefined);
// The browser trusts and reaches what the Node probes do (SOCKETPROOF_CA_FILE, the embedded HTTPS target's CA and name).
const net = browserNetwork(runtime.target, { dir: certificatesDir, make: true });
const browser = process.argv.includes('--no-browser')
  ? undefined
  : await chromium.launch({ executablePath, args: ['--disable-quic', ...net.args], env: net.env });
try {
  const page = browser ? await browser.newPage({ extraHTTPHeaders: runtime.headers }) : undefined;
  const verdicts = await runAllChecks(runtime.target, { page, headers: runtime.headers, ca: runtime.ca, resolve: runtime.resolve });
  console.log(`socketproof diagnose: ${runtime.target.name}\n`);
  console.log(formatVerdictTable(verdicts));
  const red = verdicts.filter((v) => !v.ok);
  for (const cause of new Set(red.map((v) => v.cause))) {
    if (cause) console.log(`\n${cause}: ${causes[cause].title}\n  fix: ${causes[cause].likelyFix}\n  runbook: docs/runbooks/${cause}.md`);
  }
  process.exitCode = red.length > 0 ? 1 : 0;
} finally {
  await browser?.close();
  await runtime.topology?.stop();
}
