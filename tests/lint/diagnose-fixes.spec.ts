/**
 * diagnose ends with the fixes that address what it found, best first, from the fixes' own data. For each fault of
 * the written fault matrix (its red verdicts and causes), the first fix is the right one, or none when no fix in
 * fixes/ addresses the cause (those faults are in nginx or the app, which the runbooks cover). One real run of
 * `diagnose local` with a fault proves the wiring: lint of the target's manifests, then the ranked fixes with
 * their exact apply-fix command.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { loadFixes } from '../../src/fixes/load';
import { formatFixRanking, rankFixes } from '../../src/fixes/rank';
import { loadFaults } from '../../src/faults/traffic';
import { projectRoot } from '../../src/paths';
import { lint } from './harness';

/** Fault → the fix that should come first. */
const firstFix: Record<string, string | undefined> = {
  healthy: undefined,
  'no-affinity': 'backendconfig-session-affinity',
  'lifetime-cap': 'backendconfig-timeout',
  'cdn-caching': 'cdn-off',
  // The only fix whose data addresses health-endpoint-down: it routes the Ingress to the pod's nginx, which must
  // answer /health (no local traffic check proves it; the output says so).
  'health-down': 'routing-to-combined-service',
  // In nginx or in the app: no manifest fix.
  'lb-strips-upgrade': undefined,
  'pod-strips-upgrade': undefined,
  'wrong-path': undefined,
  'foreign-origin': undefined,
  'host-rewritten': undefined,
  'missing-cookie': undefined,
};

const verdictsOf = (red: Record<string, string>) =>
  Object.entries(red).map(([key, cause]) => {
    const [check = '', hop = ''] = key.split('@');
    return { ok: false, check, hop, cause: cause as never };
  });

test.describe('diagnose: the fixes that address the red causes, ranked', { tag: '@lint' }, () => {
  test('for every fault of the matrix, the right fix comes first (or none)', () => {
    const fixes = loadFixes();
    const faults = loadFaults();
    expect(Object.keys(firstFix).sort()).toEqual(faults.map((f) => f.id).sort());
    for (const fault of faults) {
      const ranking = rankFixes(verdictsOf(fault.red), [], fixes);
      expect(ranking.ranked[0]?.fix.id, fault.id).toBe(firstFix[fault.id]);
      const text = formatFixRanking(ranking, [...new Set(Object.values(fault.red))]);
      if (firstFix[fault.id]) expect(text, fault.id).toContain(`  1. ${firstFix[fault.id]}: `);
      if (firstFix[fault.id]) expect(text, fault.id).toContain(`     npx tsx scripts/apply-fix.ts ${firstFix[fault.id]}`);
      if (!firstFix[fault.id] && fault.id !== 'healthy') expect(text, fault.id).toMatch(/^fixes: none in fixes\/ addresses /);
      // The trap is never recommended, and is named as such when it addresses a red cause.
      expect(ranking.ranked.map((r) => r.fix.id)).not.toContain('service-session-affinity');
      if (fault.id === 'no-affinity') expect(text).toContain('not service-session-affinity: the GKE Ingress load balancer ignores');
    }
  });

  test('lint findings rank the fixes they name when the traffic is green', () => {
    const findings = lint(path.join(projectRoot, 'kind/manifests/broken')).findings;
    const ranking = rankFixes([], findings.flatMap((f) => (f.fix ? [f.fix] : [])), loadFixes());
    expect(ranking.ranked.map((r) => r.fix.id).sort()).toEqual(['backendconfig-session-affinity', 'backendconfig-timeout', 'cdn-off', 'routing-to-combined-service']);
  });

  test('npm run diagnose -- local with a fault: lint of the target manifests, then the ranked fixes with their command', () => {
    test.setTimeout(180_000);
    const run = spawnSync('npx', ['tsx', 'scripts/diagnose.ts', 'local', '--no-browser'], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, SOCKETPROOF_FAULT: 'lifetime-cap' },
      timeout: 170_000,
    });
    expect(run.status, run.stderr).toBe(1);
    const out = run.stdout.trimEnd().split('\n');
    expect(out).toContain('lint kind/manifests/healthy: 0 errors, 0 warnings, 1 info in 5 files (5 objects, 0 nginx configs)');
    const at = out.indexOf('fixes, best first:');
    expect(at).toBeGreaterThan(0);
    expect(out[at + 1]).toMatch(/^ {2}1\. backendconfig-timeout: .* turns green connection-lifetime@lb$/);
    expect(out[at + 2]).toBe('     npx tsx scripts/apply-fix.ts backendconfig-timeout');
  });
});
