/**
 * Where a fix goes: the target (its `cluster` section names the namespace, the objects, the kubeconfig/context
 * and whether the cluster is production), the flags that override it, and the connection. Every problem here is
 * bad input: one line, exit 2, before anything is read from the cluster.
 */
import { type ClusterExpectation, clusterExpectation } from '../../cluster/expectation';
import { type ClusterConnection, connect } from '../../k8s/client';
import { ClusterError } from '../../k8s/errors';
import { ManifestError } from '../../k8s/manifests';
import { loadTarget, TargetError } from '../../targets/load';
import type { Target } from '../../targets/target';
import { FixError } from '../load';
import { Refused } from './outcome';

export interface ClusterFlags {
  target: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** Errors that mean "your input is wrong" become Refused; anything else is a bug and stays as it is. */
export function asRefused(e: unknown): unknown {
  if (e instanceof FixError || e instanceof TargetError || e instanceof ManifestError || e instanceof ClusterError) {
    return new Refused(e.message);
  }
  return e;
}

export function expectationFor(flags: ClusterFlags): { target: Target; expect: ClusterExpectation } {
  try {
    const target = loadTarget(flags.target);
    return { target, expect: clusterExpectation(target, { namespace: flags.namespace }) };
  } catch (e) {
    throw asRefused(e);
  }
}

/** Callers pass the flag, else the target's (or the backup's) value; neither: $KUBECONFIG / ~/.kube/config. */
export async function openConnection(kubeconfig: string | undefined, context: string | undefined): Promise<ClusterConnection> {
  try {
    return await connect({ kubeconfig, context });
  } catch (e) {
    throw asRefused(e);
  }
}

export interface ProductionFlags {
  allowProduction: boolean;
  confirmContext?: string;
}

/**
 * A write to a cluster the target marks as production needs two deliberate acts: --allow-production AND the
 * context name typed out (--confirm-context), which must equal the context actually in use, so a stale
 * KUBECONFIG pointing somewhere else cannot be confirmed by habit. Every context reached through a production
 * target counts, not only the one it names: an alias of the production context must not slip through.
 */
export function guardProduction(production: boolean, targetName: string, conn: ClusterConnection, flags: ProductionFlags): void {
  if (!production) return;
  const how = `--allow-production --confirm-context ${conn.context}`;
  if (!flags.allowProduction) {
    throw new Refused(`target "${targetName}" marks this cluster as production: refusing to write to context "${conn.context}" without ${how}`);
  }
  if (flags.confirmContext !== conn.context) {
    const typed = flags.confirmContext === undefined ? 'is missing' : `"${flags.confirmContext}" does not match`;
    throw new Refused(`--confirm-context ${typed}: the context in use is "${conn.context}" (production; pass ${how})`);
  }
}
