/**
 * Figures for scripts/bench.ts: a local control plane's start time, and how long a fix takes from the start of
 * apply-fix to verified, and a rollback, both in-process (the engine: API round trips and checks) and as the
 * script a user runs (a Node process: startup included). Medians; printed, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { applyObjects } from '../../k8s/apply';
import { connect } from '../../k8s/client';
import { BUILD_COMMAND, controlPlaneBinaries, startControlPlane } from '../../k8s/control-plane';
import { loadCrds, loadManifestSet } from '../../k8s/manifests';
import type { Output } from './progress';
import { runApplyFix } from './run-apply';
import { runRollback } from './run-rollback';
import { parseApplyArgs } from './options';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Collects what the engine prints (the bench shows figures, not progress lines). */
function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), text: () => lines.join('\n') };
}

export async function benchFixes(runs: number, say: (line: string) => void): Promise<void> {
  if (!controlPlaneBinaries()) {
    say(`control plane / apply-fix: skipped (kube-apiserver and etcd are not built: run \`${BUILD_COMMAND}\`)`);
    return;
  }
  const cp = await startControlPlane();
  const work = mkdtempSync(path.join(os.tmpdir(), 'socketproof-bench-'));
  try {
    const conn = await connect({ kubeconfig: cp.adminKubeconfig });
    await applyObjects(conn, loadCrds());
    await applyObjects(conn, loadManifestSet('broken'));
    const flags = ['--kubeconfig', cp.adminKubeconfig, '--backup-dir', `${work}/b`, '--journal-dir', `${work}/j`];
    const apply: number[] = [];
    const rollback: number[] = [];
    const applyProc: number[] = [];
    const rollbackProc: number[] = [];
    for (let i = 0; i < runs; i++) {
      const opts = parseApplyArgs(['backendconfig-timeout', ...flags]);
      if (opts === 'help') throw new Error('unreachable');
      const io = capture();
      let t0 = performance.now();
      if ((await runApplyFix(opts, io)) !== 0) throw new Error(`apply-fix failed:\n${io.text()}`);
      apply.push(performance.now() - t0);
      const backup = /\] backup\s+(\S+\.json)/.exec(io.text())?.[1] as string;
      t0 = performance.now();
      if ((await runRollback({ backup, allowProduction: false, journalDir: `${work}/j` }, io)) !== 0) throw new Error(`rollback failed:\n${io.text()}`);
      rollback.push(performance.now() - t0);

      t0 = performance.now();
      const out = await $({ quiet: true })`node --import tsx scripts/apply-fix.ts backendconfig-timeout ${flags}`;
      applyProc.push(performance.now() - t0);
      const file = /\] backup\s+(\S+\.json)/.exec(out.stdout)?.[1] as string;
      t0 = performance.now();
      await $({ quiet: true })`node --import tsx scripts/rollback.ts ${file} --journal-dir ${`${work}/j`}`;
      rollbackProc.push(performance.now() - t0);
    }
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    say(`control plane start (etcd + kube-apiserver ready)   ${ms(cp.startMs)}`);
    say(`apply-fix backendconfig-timeout → verified          ${ms(median(apply))} in-process, ${ms(median(applyProc))} as a script (node startup included)`);
    say(`rollback → restored and verified                    ${ms(median(rollback))} in-process, ${ms(median(rollbackProc))} as a script`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await cp.stop();
  }
}
