/**
 * What the apply/rollback specs share: the worker's control plane (fixtures/cluster.ts), a private staged
 * namespace per test, the scripts run against it with this test's own backup and journal folders (so tests
 * never see each other's journals), snapshots to compare objects before and after, and every command's
 * transcript attached to the report. Specs skip (with the build command) when no API server is built.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterTest, type Staged, type StageOptions } from '../../fixtures';
import { loadManifestSet } from '../../src/k8s/manifests';
import { type ClusterConnection, getObject } from '../../src/k8s/client';
import { describeRef, type K8sObject, refOf, stripServerFields } from '../../src/k8s/objects';
import { ownershipOf } from '../../src/fixes/engine/restore';
import { type CliResult, CliRun, type Script, summary } from './fix-cli';

export interface ObjectState {
  intent: K8sObject;
  owners: string;
  resourceVersion: string;
}

export type Snapshot = Record<string, ObjectState | undefined>;

export interface FixHarness {
  admin: ClusterConnection;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  backupDir: string;
  journalDir: string;
  /** A private scratch folder for the test's own files (kubeconfigs, targets, fix files). */
  workDir: string;
  stage(opts?: StageOptions): Promise<Staged>;
  /** apply-fix against `namespace` as the admin, with this test's folders; `extra` flags override. */
  applyFix(fix: string, namespace: string, extra?: string[], env?: Record<string, string>): Promise<CliResult>;
  startApplyFix(fix: string, namespace: string, extra?: string[], env?: Record<string, string>): CliRun;
  run(script: Script, args: string[], env?: Record<string, string>, launcher?: 'node' | 'npx'): Promise<CliResult>;
  /** Deployment, Service, BackendConfig, Ingress of the namespace: intent, owners, resourceVersion. */
  snapshot(namespace: string): Promise<Snapshot>;
  files(dir: string): string[];
}

/** The snapshot as "what the objects say and who owns it" (resourceVersion dropped): equal after a restore. */
export function intentOf(s: Snapshot): Record<string, { intent: K8sObject; owners: string } | undefined> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v && { intent: v.intent, owners: v.owners }]));
}

/** resourceVersions only: equal when nothing at all was written. */
export function versionsOf(s: Snapshot): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v?.resourceVersion]));
}

export const fixTest = clusterTest.extend<{ fx: FixHarness }>({
  fx: async ({ cluster, stage }, use, testInfo) => {
    testInfo.skip(cluster.mode !== 'live' || !cluster.admin || !cluster.controlPlane, `needs an API server: ${cluster.describe}`);
    const cp = cluster.controlPlane;
    const admin = cluster.admin;
    if (!cp || !admin) return;
    // Not under test-results/: a Playwright run started by anyone else in this tree wipes that folder at start.
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'socketproof-fix-'));
    const backupDir = path.join(workDir, 'backups');
    const journalDir = path.join(workDir, 'journal');
    const runs: CliRun[] = [];
    const track = (r: CliRun) => {
      runs.push(r);
      return r;
    };
    const folders = ['--backup-dir', backupDir, '--journal-dir', journalDir];
    const harness: FixHarness = {
      admin,
      adminKubeconfig: cp.adminKubeconfig,
      restrictedKubeconfig: cp.restrictedKubeconfig,
      backupDir,
      journalDir,
      workDir,
      stage,
      startApplyFix: (fix, namespace, extra = [], env = {}) =>
        track(new CliRun('apply-fix', [fix, '--kubeconfig', cp.adminKubeconfig, '--namespace', namespace, ...folders, ...extra], env)),
      applyFix: (fix, namespace, extra, env) => harness.startApplyFix(fix, namespace, extra, env).done(),
      run: (script, args, env, launcher) => track(new CliRun(script, args, env, launcher)).done(),
      snapshot: async (namespace) => {
        const out: Snapshot = {};
        for (const o of loadManifestSet('healthy', { namespace }).filter((x) => x.kind !== 'Namespace')) {
          const live = await getObject(admin, refOf(o));
          out[describeRef(refOf(o))] = live && {
            intent: stripServerFields(live),
            owners: ownershipOf(live),
            resourceVersion: String(live.metadata.resourceVersion),
          };
        }
        return out;
      },
      files: (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []),
    };
    try {
      await use(harness);
    } finally {
      for (const r of runs) r.kill('SIGKILL');
      const transcripts = await Promise.all(runs.map((r) => r.done().then(summary)));
      if (transcripts.length > 0) await testInfo.attach('commands', { body: transcripts.join('\n'), contentType: 'text/plain' });
      rmSync(workDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
