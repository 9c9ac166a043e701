/**
 * The command: exit code by the highest severity against --fail-on, and bad input as one line on stderr with
 * exit code 2 (a missing file, YAML or nginx syntax that does not parse, a bad flag). In process for speed, plus
 * two real runs of the script through npm (the nightly workflow's exact invocation).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { parse } from 'yaml';
import { runLintCli } from '../../src/lint/cli';
import { projectRoot } from '../../src/paths';

function run(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { code: runLintCli(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const healthy = path.join(projectRoot, 'kind/manifests/healthy');
const broken = path.join(projectRoot, 'kind/manifests/broken');

test.describe('npm run lint: exit codes and bad input', { tag: '@lint' }, () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'socketproof-lint-cli-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('exit code: the highest severity against --fail-on (default error)', () => {
    expect(run([healthy]).code).toBe(0); // an info only
    expect(run([broken]).code).toBe(1);
    expect(run([healthy, '--fail-on', 'info']).code).toBe(1);
    expect(run([healthy, '--fail-on=warning']).code).toBe(0);
    expect(run([broken, '--fail-on', 'error', '--format', 'json']).code).toBe(1);
  });

  test('--session-seconds judges timeoutSec against another session length', () => {
    const r = run([healthy, '--session-seconds', '7200', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings.map((f: { rule: string; line: number }) => `${f.rule}:${f.line}`)).toContain('backendconfig-timeout:9');
  });

  test('bad input: one line on stderr, exit code 2', () => {
    writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n');
    writeFileSync(path.join(dir, 'broken.conf'), 'http {\n  server {\n    listen 80\n  }\n');
    const cases: [string[], RegExp][] = [
      [['no/such/dir'], /^socketproof lint: no\/such\/dir: no such file or directory$/],
      [[path.join(dir, 'broken.yaml')], /^socketproof lint: .*broken\.yaml: not valid YAML \(line \d+\): /],
      [[path.join(dir, 'broken.conf')], /^socketproof lint: .*broken\.conf:4:3: the file is not valid nginx syntax: unexpected "}"$/],
      [[healthy, '--format', 'xml'], /^socketproof lint: --format must be one of text, json, sarif, not "xml"$/],
      [[healthy, '--fail-on', 'fatal'], /^socketproof lint: --fail-on must be one of error, warning, info, not "fatal"$/],
      [[healthy, '--session-seconds', 'an hour'], /^socketproof lint: --session-seconds needs a positive whole number, not "an hour"$/],
      [[healthy, '--what'], /^socketproof lint: unknown option --what/],
      [[], /^socketproof lint: no files or folders to lint/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  test('objects with fields of the wrong shape are linted, not a crash', () => {
    const r = run([path.join(projectRoot, 'tests/lint/fixtures/malformed')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('5 objects');
  });

  test('the real script through npm: SARIF on stdout with --silent (as the nightly runs it), exit 1 on errors, 2 on a missing file', () => {
    const sarif = spawnSync('npm', ['run', '--silent', 'lint', '--', 'kind/manifests/broken', '--format', 'sarif'], { cwd: projectRoot, encoding: 'utf8' });
    expect(sarif.status).toBe(1);
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(4);
    const missing = spawnSync('npx', ['tsx', 'scripts/lint.ts', 'kind/manifests/nope'], { cwd: projectRoot, encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('socketproof lint: kind/manifests/nope: no such file or directory');
    expect(execFileSync('npx', ['tsx', 'scripts/lint.ts', '--help'], { cwd: projectRoot, encoding: 'utf8' })).toContain('nginx-upgrade-headers');
  });

  test("the nightly workflow's lint step, run as written, gives a SARIF log of the repo's deployed files and no error", () => {
    const workflow = parse(readFileSync(path.join(projectRoot, '.github/workflows/nightly.yml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: { smoke: { steps: { name?: string; run?: string; uses?: string; with?: Record<string, string> }[] } };
    };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = workflow.jobs.smoke.steps;
    const lintStep = steps.find((s) => s.name === 'Lint manifests and nginx config');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const [command = '', target = ''] = (lintStep?.run ?? '').split(' > ');
    expect(upload?.with?.sarif_file).toBe(target.trim());
    const [npm, ...args] = command.trim().split(/\s+/);
    const run = spawnSync(npm as string, args, { cwd: projectRoot, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((r: { level: string }) => r.level)).toEqual(['note']);
  });
});
