/**
 * The flake gate: runs the local suite and the whole fault matrix N times (default 20) and prints, per test, its
 * passes and failures and whether the cause it named ever changed. Exit 1 on any flaky test or changed cause, 2 on
 * bad input. A false alarm is as bad as a missed outage: a check whose verdict or cause depends on timing is a bug.
 *   npm run flake -- [N] [--projects local,local-root,local-plain]
 * The JSON report of the run is kept in reports/flake.json.
 */
import { readFileSync } from 'node:fs';
import { $ } from 'zx';
import { freshRunEnv } from '../src/runner-env';

interface JsonResult {
  status: string;
  error?: { message?: string };
  attachments?: { name: string; body?: string }[];
}
interface JsonTest {
  projectName: string;
  results: JsonResult[];
}
interface JsonSpec {
  title: string;
  tests: JsonTest[];
}
interface JsonSuite {
  title: string;
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}

const args = process.argv.slice(2);
const projectsFlag = args.indexOf('--projects');
const projects = (projectsFlag >= 0 ? args.splice(projectsFlag, 2)[1] : 'local')?.split(',').filter(Boolean) ?? [];
const n = Number(args[0] ?? 20);
if (!Number.isInteger(n) || n < 1 || args.length > 1) {
  console.error('socketproof flake: usage: npm run flake -- [N ≥ 1] [--projects local,local-root]');
  process.exit(2);
}

/** What a run of a test concluded: ok, or its cause(s) — the fault matrix attaches its whole verdict table. */
function conclusion(r: JsonResult): string {
  const table = r.attachments?.find((a) => a.name === 'verdict causes' && a.body);
  if (table?.body) return Buffer.from(table.body, 'base64').toString('utf8');
  if (r.status === 'passed') return 'ok';
  const cause = /cause: {4}([a-z-]+)/.exec(r.error?.message ?? '')?.[1];
  return cause ? `cause ${cause}` : `failed: ${(r.error?.message ?? r.status).split('\n')[0]}`;
}

function* specsOf(suite: JsonSuite, path: string[] = []): Generator<[string, JsonSpec]> {
  const here = suite.title ? [...path, suite.title] : path;
  for (const spec of suite.specs ?? []) yield [[...here, spec.title].join(' › '), spec];
  for (const child of suite.suites ?? []) yield* specsOf(child, here);
}

const started = Date.now();
const output = 'reports/flake.json';
console.log(`socketproof flake: ${projects.join(', ')} and the fault matrix, ${n} times each`);
const run = await $({
  nothrow: true,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: freshRunEnv({ PLAYWRIGHT_JSON_OUTPUT_NAME: output, SOCKETPROOF_REPORTS_DIR: 'reports/flake' }),
})`npx playwright test ${projects.map((p) => `--project=${p}`)} --project=selftest --grep ${'@at:|@faultmatrix'} --repeat-each=${n} --reporter=dot,json`;
const report = JSON.parse(readFileSync(output, 'utf8')) as { suites: JsonSuite[] };

// --repeat-each lists every repetition as a test of its own: gather them by project and title.
const runs = new Map<string, JsonResult[]>();
for (const suite of report.suites) {
  for (const [title, spec] of specsOf(suite)) {
    for (const t of spec.tests) {
      const key = `[${t.projectName}] ${title}`;
      runs.set(key, [...(runs.get(key) ?? []), ...t.results]);
    }
  }
}
let flaky = 0;
const rows: string[] = [];
for (const [key, results] of runs) {
  const passed = results.filter((r) => r.status === 'passed').length;
  const conclusions = new Set(results.map(conclusion));
  const unstable = (passed > 0 && passed < results.length) || conclusions.size > 1;
  if (unstable) flaky++;
  const note = conclusions.size > 1 ? `  ${conclusions.size} different conclusions` : passed < results.length ? '  always red' : '';
  rows.push(`${unstable ? 'FLAKY' : passed < results.length ? 'RED  ' : 'ok   '}  ${String(passed).padStart(3)}/${results.length} passed${note}  ${key}`);
}
console.log(rows.join('\n'));
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`socketproof flake: ${rows.length} tests × ${n} runs in ${minutes} min: ${flaky} flaky (changed verdict or cause)`);
// A test red on every run is not flaky, but the gate is about a green suite: any failure fails it.
process.exit(flaky > 0 || run.exitCode !== 0 ? 1 : 0);
