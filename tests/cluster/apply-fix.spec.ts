/**
 * apply-fix against the real kube-apiserver, run as a user runs it: apply → verified → the printed rollback
 * command → the objects equal the ones before (content AND field owners); a dry run that changes nothing; a
 * verification that cannot pass, rolled back on its own; the production guard.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { labelTest } from '../../fixtures';
import { getObject } from '../../src/k8s/client';
import { targetsDir } from '../../src/targets/load';
import { backupOf, errorLine, printedRollbackArgs } from './fix-cli';
import { expect, fixTest as test, intentOf, versionsOf } from './fix-harness';

const bcRef = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', name: 'theia-backendconfig' };
const noAnnotation = { kind: 'Service', name: 'theia', merge: { metadata: { annotations: { 'cloud.google.com/backend-config': null } } } };

test.describe('apply-fix', () => {
  // Each script run is its own Node process (~2–4 s on a busy 2-core machine): a test runs up to seven.
  test.describe.configure({ timeout: 120_000 });

  test('apply → verified → printed rollback → objects equal before, owners too', { tag: ['@cluster'] }, async ({ fx }, testInfo) => {
    await labelTest('cluster', 'apply-fix', 'apply, verify, rollback', 'critical');
    const { namespace } = await fx.stage({ set: 'broken' });
    const before = await fx.snapshot(namespace);

    const applied = await fx.applyFix('backendconfig-timeout', namespace);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/\[5\/6\] apply {6}BackendConfig .*\.spec\.timeoutSec: \(absent\) → 3600/);
    expect(applied.stdout).toMatch(/\[6\/6\] verify {5}green: backendconfig-timeout/);
    const live = await getObject(fx.admin, { ...bcRef, namespace });
    expect((live?.spec as { timeoutSec?: number } | undefined)?.timeoutSec).toBe(3600);
    expect(fx.files(fx.journalDir), 'a clean apply leaves no journal').toEqual([]);

    const rolled = await fx.run('rollback', printedRollbackArgs(applied));
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(rolled.stdout).toMatch(/\[3\/4\] restore .*\.spec\.timeoutSec: 3600 → \(absent\)/);
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
    testInfo.annotations.push({ type: 'timing', description: `apply-fix (process) ${applied.ms} ms, rollback (process) ${rolled.ms} ms` });
  });

  test('a value another manager owns: --force-conflicts takes it, rollback gives back value and owner', { tag: ['@cluster'] }, async ({ fx }) => {
    await labelTest('cluster', 'apply-fix', 'force conflicts, exact restore');
    const { namespace } = await fx.stage({ set: 'broken' });
    const before = await fx.snapshot(namespace);
    const applied = await fx.applyFix('cdn-off', namespace, ['--force-conflicts']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('.spec.cdn.enabled: true → false');
    const after = await fx.snapshot(namespace);
    expect(after[`BackendConfig ${namespace}/theia-backendconfig`]?.owners).toContain('socketproof-fix');

    const rolled = await fx.run('rollback', [backupOf(applied), '--journal-dir', fx.journalDir]);
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain('field owners restored');
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
  });

  test('--dry-run prints the diff and changes nothing', { tag: ['@cluster'] }, async ({ fx }) => {
    await labelTest('cluster', 'apply-fix', 'dry run');
    const { namespace } = await fx.stage({ set: 'broken' });
    const before = await fx.snapshot(namespace);
    const r = await fx.applyFix('backendconfig-session-affinity', namespace, ['--dry-run']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('.spec.sessionAffinity: (absent) → {"affinityType":"CLIENT_IP"}');
    expect(r.stdout).toContain('dry run: nothing was changed');
    expect(versionsOf(await fx.snapshot(namespace)), 'not one write').toEqual(versionsOf(before));
    expect(fx.files(fx.backupDir)).toEqual([]);
    expect(fx.files(fx.journalDir)).toEqual([]);
  });

  test('verification that cannot pass rolls back on its own', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('cluster', 'apply-fix', 'automatic rollback');
    // Without the Service's annotation no BackendConfig applies (GKE's defaults do): affinity stays red.
    const { namespace } = await fx.stage({ set: 'broken', patches: [noAnnotation] });
    const before = await fx.snapshot(namespace);
    const r = await fx.applyFix('backendconfig-session-affinity', namespace, ['--verify-timeout', '2']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(errorLine(r)).toMatch(/verification failed: backendconfig-affinity after \d+ attempt\(s\).*backendconfig-not-attached.*rolled back/);
    expect(r.stdout).toContain('restored BackendConfig');
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
    expect(fx.files(fx.journalDir)).toEqual([]);
  });

  test('a fix already in place changes nothing and takes no backup', { tag: ['@cluster'] }, async ({ fx }) => {
    await labelTest('cluster', 'apply-fix', 'already in place');
    const { namespace } = await fx.stage({ set: 'healthy' });
    const before = await fx.snapshot(namespace);
    const r = await fx.applyFix('backendconfig-timeout', namespace);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('nothing to change');
    expect(versionsOf(await fx.snapshot(namespace))).toEqual(versionsOf(before));
    expect(fx.files(fx.backupDir)).toEqual([]);
  });

  test('production: refused unless --allow-production AND the exact context are given', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('cluster', 'apply-fix', 'production guard', 'critical');
    const { namespace } = await fx.stage({ set: 'broken' });
    const local = parse(readFileSync(`${targetsDir}/local.yaml`, 'utf8')) as { name: string; cluster: Record<string, unknown> };
    const file = path.join(fx.workDir, 'prod-like.yaml');
    writeFileSync(file, stringify({ ...local, name: 'prod-like', cluster: { ...local.cluster, production: true } }));
    const context = 'socketproof-local-admin';
    const before = await fx.snapshot(namespace);

    const plain = await fx.applyFix('backendconfig-timeout', namespace, ['--target', file]);
    expect(plain.code).toBe(2);
    expect(errorLine(plain)).toContain(`marks this cluster as production: refusing to write to context "${context}" without --allow-production --confirm-context ${context}`);
    const wrong = await fx.applyFix('backendconfig-timeout', namespace, ['--target', file, '--allow-production', '--confirm-context', 'socketproof-local']);
    expect(wrong.code).toBe(2);
    expect(errorLine(wrong)).toContain('--confirm-context "socketproof-local" does not match');
    expect(versionsOf(await fx.snapshot(namespace))).toEqual(versionsOf(before));
    const dry = await fx.applyFix('backendconfig-timeout', namespace, ['--target', file, '--dry-run']);
    expect(dry.code, 'a dry run writes nothing: no confirmation needed').toBe(0);

    const ok = await fx.applyFix('backendconfig-timeout', namespace, ['--target', file, '--allow-production', '--confirm-context', context]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const undo = printedRollbackArgs(ok);
    expect(undo.join(' ')).toContain(`--allow-production --confirm-context ${context}`);
    const refusedUndo = await fx.run('rollback', [backupOf(ok), '--journal-dir', fx.journalDir]);
    expect(errorLine(refusedUndo)).toContain('marks this cluster as production');
    const rolled = await fx.run('rollback', undo);
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
  });
});
