/** The cluster break matrix (break-matrix.yaml) as typed data, shared by its spec and the fix unit tests. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ClusterCheckId } from '../../src/cluster/registry';
import type { ObjectPatch } from '../../src/k8s/objects';
import type { Verdict } from '../../src/verdict';

export interface ClusterBreak {
  id: string;
  title: string;
  /** Manifest set to start from (default: the target's desired set). */
  set?: string;
  patches?: ObjectPatch[];
  /** check id → cause; every other applicable check must pass. */
  red: Partial<Record<ClusterCheckId, string>>;
  /** The fix that repairs it (fixes/<id>.yaml). */
  fixedBy?: string;
}

export const clusterBreaks = (
  parse(readFileSync(new URL('./break-matrix.yaml', import.meta.url), 'utf8')) as { breaks: ClusterBreak[] }
).breaks;

/** check id → `ok` or its cause: the shape `red` is written in. */
export function outcomeTable(verdicts: Verdict[]): Record<string, string> {
  return Object.fromEntries(verdicts.map((v) => [v.check, v.ok ? 'ok' : (v.cause ?? 'unknown')]));
}

export function expectedTable(b: ClusterBreak, checkIds: string[]): Record<string, string> {
  return Object.fromEntries(checkIds.map((id) => [id, b.red[id as ClusterCheckId] ?? 'ok']));
}
