/**
 * rollback <backup> against the real kube-apiserver: the objects come back exactly (content and field owners),
 * also when someone changed or deleted them after the apply; a killed apply's journal is cleared; and it refuses,
 * in one line and without a write, a backup it cannot trust, another cluster, and a user who may not update.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelTest } from '../../fixtures';
import { deleteObject, serverSideApply } from '../../src/k8s/client';
import { backupOf, errorLine } from './fix-cli';
import { expect, type FixHarness, fixTest as test, intentOf, versionsOf } from './fix-harness';

const bc = (namespace: string) => ({ apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'theia-backendconfig', namespace } });

/** Stages the broken set, applies the timeout fix; returns the namespace, the state before and the backup. */
async function applied(fx: FixHarness) {
  const { namespace } = await fx.stage({ set: 'broken' });
  const before = await fx.snapshot(namespace);
  const r = await fx.applyFix('backendconfig-timeout', namespace);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return { namespace, before, backup: backupOf(r) };
}

test.describe('rollback', () => {
  test.describe.configure({ timeout: 90_000 });

  test('restores content and owners, also a change made after the apply', { tag: ['@cluster'] }, async ({ fx }, testInfo) => {
    await labelTest('cluster', 'rollback', 'exact restore', 'critical');
    const { namespace, before, backup } = await applied(fx);
    // Someone else edits a field the manifests own, after the fix: the rollback restores the backup, not a merge.
    await serverSideApply(fx.admin, { ...bc(namespace), spec: { connectionDraining: { drainingTimeoutSec: 120 } } }, { fieldManager: 'someone-else', force: true });
    const r = await fx.run('rollback', [backup, '--journal-dir', fx.journalDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\[3\/4\] restore .*\.spec\.connectionDraining\.drainingTimeoutSec: 120 → 60, \.spec\.timeoutSec: 3600 → \(absent\); field owners restored/);
    expect(r.stdout).toMatch(/\[4\/4\] verify {5}1 object\(s\) equal the backup apart from server-managed fields/);
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
    const ms = /rolled back in (\d+) ms/.exec(r.stdout)?.[1];
    testInfo.annotations.push({ type: 'timing', description: `restore + read-back ${ms} ms; rollback process ${r.ms} ms` });
  });

  test('recreates an object deleted after the apply', { tag: ['@cluster'] }, async ({ fx }) => {
    await labelTest('cluster', 'rollback', 'deleted object');
    const { namespace, before, backup } = await applied(fx);
    await deleteObject(fx.admin, { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', name: 'theia-backendconfig', namespace });
    const r = await fx.run('rollback', [backup, '--journal-dir', fx.journalDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('recreated (it had been deleted)');
    const key = `BackendConfig ${namespace}/theia-backendconfig`;
    expect((await fx.snapshot(namespace))[key]?.intent).toEqual(before[key]?.intent);
  });

  test('after a killed apply, rollback <backup> restores it and clears its journal', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('selftest', 'rollback', 'killed apply');
    const { namespace } = await fx.stage({ set: 'broken' });
    const before = await fx.snapshot(namespace);
    const run = fx.startApplyFix('backendconfig-timeout', namespace, [], { SOCKETPROOF_PAUSE_AFTER: 'apply' });
    await run.waitFor(/^paused after apply$/m);
    run.kill('SIGKILL');
    await run.done();
    const r = await fx.run('rollback', [backupOf(run), '--journal-dir', fx.journalDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("the interrupted apply's journal is cleared");
    expect(fx.files(fx.journalDir)).toEqual([]);
    expect(intentOf(await fx.snapshot(namespace))).toEqual(intentOf(before));
  });

  test('refuses without a write: bad files, another cluster, a user who may not update', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('selftest', 'rollback', 'refusals');
    const { namespace, backup } = await applied(fx);
    const after = await fx.snapshot(namespace);
    const file = (name: string, body: string) => {
      writeFileSync(path.join(fx.workDir, name), body);
      return path.join(fx.workDir, name);
    };
    const other = JSON.parse(readFileSync(backup, 'utf8')) as { cluster: { server: string } };
    other.cluster.server = 'https://10.0.0.1:443';
    const cases: [string[], RegExp][] = [
      [[path.join(fx.workDir, 'missing.json')], /^rollback: no backup at .*missing\.json: pass the path apply-fix printed/],
      [[file('garbage.json', '{"format": ')], /^rollback: .*garbage\.json: not a socketproof backup: invalid JSON/],
      [[file('other.json', '{"kind": "List"}')], /^rollback: .*other\.json: not a socketproof backup \(format socketproof-backup\/v1/],
      [[file('elsewhere.json', JSON.stringify(other))], /^rollback: the backup was taken from https:\/\/10\.0\.0\.1:443, but context "socketproof-local-admin" reaches https:\/\/127\.0\.0\.1:\d+/],
      [[backup, '--kubeconfig', fx.restrictedKubeconfig], /^rollback: user "socketproof-viewer" may not update backendconfigs\.cloud\.google\.com in namespace sp-[\w-]+ .*nothing was changed$/],
      [[], /^rollback: missing backup file \(usage: rollback /],
    ];
    for (const [args, error] of cases) {
      const r = await fx.run('rollback', args.length === 0 ? [] : [...args, ...(args.includes('--kubeconfig') ? [] : ['--kubeconfig', fx.adminKubeconfig])]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(errorLine(r)).toMatch(error);
    }
    expect(versionsOf(await fx.snapshot(namespace)), 'not one write').toEqual(versionsOf(after));
  });
});
