/**
 * Verification: the cluster checks the fix names in `proves`, against the live objects, until all are green or
 * the deadline passes. Retries because a real cloud propagates in its own time (a BackendConfig is read by the
 * GKE ingress controller, a webhook may mutate what was applied); the wait backs off from 0.5 s to 5 s and a
 * signal cuts it short.
 */
import type { ClusterExpectation } from '../../cluster/expectation';
import { clusterCheck } from '../../cluster/registry';
import type { ClusterConnection } from '../../k8s/client';
import { liveSource } from '../../k8s/object-source';
import type { Verdict } from '../../verdict';
import type { Fix } from '../load';
import type { InterruptGate } from './interrupt';

export interface VerifyResult {
  ok: boolean;
  attempts: number;
  ms: number;
  verdicts: Verdict[];
}

export async function verifyFix(
  conn: ClusterConnection,
  fix: Fix,
  expect: ClusterExpectation,
  gate: InterruptGate,
  timeoutMs: number,
): Promise<VerifyResult> {
  const t0 = Date.now();
  const checks = fix.proves.map(clusterCheck);
  const ctx = { source: liveSource(conn), expect };
  let delay = 500;
  for (let attempts = 1; ; attempts++) {
    const verdicts: Verdict[] = [];
    for (const c of checks) verdicts.push(await c.run(ctx));
    const ok = verdicts.every((v) => v.ok);
    if (ok || Date.now() - t0 + delay > timeoutMs) return { ok, attempts, ms: Date.now() - t0, verdicts };
    await gate.sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}

/** `backendconfig-timeout: <observed>` for each red verdict. */
export function describeRed(verdicts: Verdict[]): string {
  return verdicts
    .filter((v) => !v.ok)
    .map((v) => `${v.check}: ${v.observed}${v.cause ? ` (cause ${v.cause})` : ''}`)
    .join('; ');
}
