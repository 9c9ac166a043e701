/**
 * The manifest faults ("breaks", faults/manifests.yaml): a patch of the desired manifests and the cluster checks it
 * must turn red. Read by the cluster self-tests (tests/cluster/break-matrix.spec.ts) and the fix unit tests.
 */
import { causeIds } from '../causes/catalogue';
import { clusterCheckIds, type ClusterCheckId } from '../cluster/registry';
import type { ObjectPatch } from '../k8s/objects';
import type { Verdict } from '../verdict';
import { mustBeKnown, readCatalogue } from './validate';

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

/** Every manifest fault, validated (schema, then check ids and causes against the code's registries). */
export function loadClusterBreaks(dir?: string): ClusterBreak[] {
  const { breaks } = readCatalogue<{ breaks: ClusterBreak[] }>('manifests', dir);
  for (const b of breaks) {
    for (const [check, cause] of Object.entries(b.red)) {
      mustBeKnown('manifests.yaml', b.id, check, clusterCheckIds);
      mustBeKnown('manifests.yaml', `${b.id}: ${check}`, cause ?? '', causeIds);
    }
  }
  return breaks;
}

/** check id → `ok` or its cause: the shape `red` is written in. */
export function outcomeTable(verdicts: Verdict[]): Record<string, string> {
  return Object.fromEntries(verdicts.map((v) => [v.check, v.ok ? 'ok' : (v.cause ?? 'unknown')]));
}

export function expectedTable(b: ClusterBreak, checkIds: string[]): Record<string, string> {
  return Object.fromEntries(checkIds.map((id) => [id, b.red[id as ClusterCheckId] ?? 'ok']));
}
