/**
 * Interrupting apply-fix at each step boundary, made exact by the test hook SOCKETPROOF_PAUSE_AFTER=<step> (the
 * script prints `paused after <step>` and waits): no sleeps, no timing luck.
 * - SIGINT / SIGTERM: before the backup nothing was written (exit 130/143, every resourceVersion as before);
 *   from the backup on, the script restores before it exits (objects and field owners equal the ones before).
 * - SIGKILL: nothing can run, so the journal tells. Before the backup there is none and nothing was written;
 *   from the backup on, the NEXT run of the same command finds it, restores, and stops with exit 3.
 */
import { errorLine } from './fix-cli';
import { expect, fixTest as test, intentOf, versionsOf } from './fix-harness';
import { labelTest } from '../../fixtures';

const steps = ['connect', 'preflight', 'backup', 'apply', 'verify'] as const;
const beforeAnyWrite = new Set<string>(['connect', 'preflight']);
const fix = 'backendconfig-session-affinity';
const noAnnotation = { kind: 'Service', name: 'theia', merge: { metadata: { annotations: { 'cloud.google.com/backend-config': null } } } };

test.describe('apply-fix interrupted', () => {
  test.describe.configure({ timeout: 90_000 });

  for (const step of steps) {
    test(`SIGINT after ${step}`, { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
      await labelTest('selftest', 'apply-fix interrupted', `SIGINT after ${step}`, 'critical');
      const { namespace } = await fx.stage({ set: 'broken' });
      const before = await fx.snapshot(namespace);
      const run = fx.startApplyFix(fix, namespace, [], { SOCKETPROOF_PAUSE_AFTER: step });
      await run.waitFor(new RegExp(`^paused after ${step}$`, 'm'));
      run.kill('SIGINT');
      const r = await run.done();
      expect(r.code, r.stdout + r.stderr).toBe(130);
      if (beforeAnyWrite.has(step)) {
        expect(errorLine(r)).toBe('apply-fix: interrupted by SIGINT before any change: nothing was changed');
        expect(versionsOf(await fx.snapshot(namespace))).toEqual(versionsOf(before));
      } else {
        expect(errorLine(r)).toMatch(/^apply-fix: interrupted by SIGINT; rolled back in \d+ ms: the objects equal the backup/);
        expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
      }
      expect(fx.files(fx.journalDir), 'no journal left behind').toEqual([]);
    });

    test(`SIGKILL after ${step}, then the next run`, { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
      await labelTest('selftest', 'apply-fix interrupted', `SIGKILL after ${step}`, 'critical');
      const { namespace } = await fx.stage({ set: 'broken' });
      const before = await fx.snapshot(namespace);
      const run = fx.startApplyFix(fix, namespace, [], { SOCKETPROOF_PAUSE_AFTER: step });
      await run.waitFor(new RegExp(`^paused after ${step}$`, 'm'));
      run.kill('SIGKILL');
      expect((await run.done()).signal).toBe('SIGKILL');
      if (beforeAnyWrite.has(step)) {
        expect(fx.files(fx.journalDir)).toEqual([]);
        expect(versionsOf(await fx.snapshot(namespace))).toEqual(versionsOf(before));
        return;
      }
      expect(fx.files(fx.journalDir), 'the killed run left its journal').toHaveLength(1);
      const next = await fx.applyFix(fix, namespace);
      expect(next.code, next.stdout + next.stderr).toBe(3);
      expect(next.stdout).toMatch(new RegExp(`found an interrupted apply of ${fix} \\(pid \\d+ stopped during step "\\w[\\w-]*"`));
      expect(errorLine(next)).toContain('nothing new was applied: run the command again');
      expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
      expect(fx.files(fx.journalDir)).toEqual([]);
    });
  }

  test('SIGTERM after apply', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('selftest', 'apply-fix interrupted', 'SIGTERM after apply');
    const { namespace } = await fx.stage({ set: 'broken' });
    const before = await fx.snapshot(namespace);
    const run = fx.startApplyFix(fix, namespace, [], { SOCKETPROOF_PAUSE_AFTER: 'apply' });
    await run.waitFor(/^paused after apply$/m);
    run.kill('SIGTERM');
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(143);
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
  });

  test('SIGINT while verification waits for propagation', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('selftest', 'apply-fix interrupted', 'SIGINT during verification retries');
    // No BackendConfig is attached, so verification keeps retrying until its (long) deadline: the signal must
    // cut the wait short, not wait it out.
    const { namespace } = await fx.stage({ set: 'broken', patches: [noAnnotation] });
    const before = await fx.snapshot(namespace);
    const run = fx.startApplyFix(fix, namespace, ['--verify-timeout', '300']);
    await run.waitFor(/^\[5\/6\] apply /m);
    const t0 = Date.now();
    run.kill('SIGINT');
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(130);
    expect(Date.now() - t0, 'stopped within the current retry, not at the deadline').toBeLessThan(15_000);
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
    expect(fx.files(fx.journalDir)).toEqual([]);
  });
});
