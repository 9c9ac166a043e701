/**
 * The import-direction check (dependency-cruiser with .dependency-cruiser.cjs) runs on the project in
 * `npm run lint:code` (the first step of npm test). Here: it is not vacuous — a throwaway project with one import
 * against each rule is red on exactly those rules.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { projectRoot } from '../../src/paths';

const depcruise = path.join(projectRoot, 'node_modules/.bin/depcruise');
const config = path.join(projectRoot, '.dependency-cruiser.cjs');

function cruise(cwd: string, dirs: string[]): { rules: string[]; stderr: string } {
  const run = spawnSync(depcruise, [...dirs, '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8' });
  const out = run.stdout ? (JSON.parse(run.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } }) : undefined;
  const rules = (out?.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  return { rules, stderr: run.stderr };
}

test('each rule turns red on an import against it', { tag: '@lint' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-imports-'));
  try {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }),
      'src/checks/judge.ts': "import { b } from './cycle';\nexport const judge = b;\n",
      'src/checks/cycle.ts': "import { judge } from './judge';\nexport const b = 1;\nexport const c = judge;\n",
      'src/probes/probe.ts': "import { judge } from '../checks/judge';\nexport const p = judge;\n",
      'src/os/process.ts': "import { judge } from '../checks/judge';\nexport const q = judge;\n",
      'src/topology/start.ts': "import { judge } from '../checks/judge';\nexport const t = judge;\n",
      'src/topology/defaults.ts': 'export const d = 1;\n',
      'src/checks/knows-topology.ts': "import { d } from '../topology/defaults';\nexport const k = d;\n",
      'src/k8s/client.ts': "import { fix } from '../fixes/apply';\nexport const k = fix;\n",
      'src/fixes/apply.ts': 'export const fix = 1;\n',
      'src/lib.ts': "import { f } from '../fixtures/base';\nexport const l = f;\n",
      'fixtures/base.ts': "import { s } from '../tests/spec';\nexport const f = s;\n",
      'tests/spec.ts': 'export const s = 1;\n',
      'scripts/run.ts': "import { f } from '../fixtures/base';\nexport const r = f;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const run = cruise(dir, ['src', 'fixtures', 'scripts', 'tests']);
    expect(run.rules, run.stderr).toEqual([
      'checks-are-target-agnostic: src/checks/knows-topology.ts → src/topology/defaults.ts',
      'fixtures-below-specs: fixtures/base.ts → tests/spec.ts',
      'foundation-stays-at-the-bottom: src/os/process.ts → src/checks/judge.ts',
      'k8s-below-cluster-and-fixes: src/k8s/client.ts → src/fixes/apply.ts',
      'no-cycles: src/checks/cycle.ts → src/checks/judge.ts',
      'probes-know-no-checks: src/probes/probe.ts → src/checks/judge.ts',
      'scripts-use-src-not-tests: scripts/run.ts → fixtures/base.ts',
      'src-is-a-library: src/lib.ts → fixtures/base.ts',
      'topology-does-not-judge: src/topology/start.ts → src/checks/judge.ts',
    ].sort());
    // As `npm run lint:code` runs it (the err reporter): a non-zero exit, one line per violation.
    const asNpmRuns = spawnSync(depcruise, ['src', 'fixtures', 'scripts', 'tests', '--config', config, '--output-type', 'err'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    expect(asNpmRuns.status).not.toBe(0);
    expect(asNpmRuns.stdout).toContain('error probes-know-no-checks: src/probes/probe.ts → src/checks/judge.ts');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
