/**
 * What a run of a target will leave out because an optional secret is not there, said once by the runner (one
 * line each) before any test starts: an auth header whose variable is unset or empty (not sent), and the target's
 * own cluster without a kubeconfig (its checks not run; or required, then the run fails).
 */
import os from 'node:os';
import { targetClusterAccess } from '../cluster/target-access';
import { unsentAuthHeaders } from './load';
import type { Target } from './target';

export function runNotices(target: Target, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  const notices = unsentAuthHeaders(target, env).map(
    ({ header, variable }) => `socketproof: target ${target.name}: header ${header} not sent: ${variable} is unset or empty`,
  );
  const cluster = targetClusterAccess(target, env, home);
  if (cluster.state === 'not-given') notices.push(`socketproof: ${cluster.message}${cluster.required ? '; the run fails' : ''}`);
  return notices;
}
