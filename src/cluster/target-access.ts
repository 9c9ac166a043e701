/**
 * A target's own cluster (the one its `cluster` section names: production's) is optional: a team that has not
 * stored read-only credentials for it still gets a verdict on its traffic. Decided before any test is defined,
 * from the environment alone, so the runner, every worker and the project filter agree:
 *   - no kubeconfig given at all: the cluster checks are not run, and ONE entry says so, with the reason and how to
 *     enable them (skipped; failed when SOCKETPROOF_REQUIRE_CLUSTER=1, which the nightly workflow sets when its
 *     kubeconfig secret exists, so a secret that stops reaching the run cannot turn the checks off silently);
 *   - a kubeconfig given: a connection test (wrong context, refused credentials: one failure, one line) and the
 *     cluster checks.
 */
import os from 'node:os';
import { hasLiveCluster, pairTag } from '../checks/registry';
import { givenKubeconfig, kubeconfigChoice } from '../k8s/kubeconfig-path';
import type { Target } from '../targets/target';
import { clusterCheckIds } from './registry';

export const REQUIRE_CLUSTER_VARIABLE = 'SOCKETPROOF_REQUIRE_CLUSTER';
/** The "not run" entry's tag and the connection test's tag (project filters select on them, like pairTag). */
export const NOT_RUN_TAG = pairTag('cluster-not-run', 'cluster');
export const CONNECTION_TAG = pairTag('cluster-connection', 'cluster');

/** In every "not run" message (the Allure category matches on it). */
export const CLUSTER_NOT_RUN_PHRASE = 'cluster checks not run';

export type TargetClusterAccess =
  /** The target names no cluster of its own: its cluster checks run elsewhere (the `cluster` project). */
  | { state: 'none' }
  | { state: 'given'; kubeconfig: string }
  | { state: 'not-given'; required: boolean; message: string };

export function targetClusterAccess(target: Target, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): TargetClusterAccess {
  const cluster = target.cluster;
  if (!cluster || !hasLiveCluster(target)) return { state: 'none' };
  const given = givenKubeconfig(cluster.kubeconfig, env, home);
  if (given) return { state: 'given', kubeconfig: given.file };
  const required = env[REQUIRE_CLUSTER_VARIABLE] === '1';
  const why = `no kubeconfig given (KUBECONFIG is unset or empty, ${kubeconfigChoice(undefined, {}, home).file} does not exist)`;
  const enable = `set KUBECONFIG to a read-only kubeconfig with context "${cluster.context}" (nightly workflow: the PRODUCTION_KUBECONFIG secret)`;
  const message = required
    ? `target ${target.name}: cluster checks required (${REQUIRE_CLUSTER_VARIABLE}=1) but ${why}; ${enable}`
    : `target ${target.name}: ${CLUSTER_NOT_RUN_PHRASE}: ${why}; to run them, ${enable}`;
  return { state: 'not-given', required, message };
}

/** The cluster tests a target's project holds (its filter adds these tags): see the states above. */
export function targetClusterTags(target: Target, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  const access = targetClusterAccess(target, env, home);
  if (access.state === 'none') return [];
  if (access.state === 'not-given') return [NOT_RUN_TAG];
  return [CONNECTION_TAG, ...clusterCheckIds.map((id) => pairTag(id, 'cluster'))];
}
