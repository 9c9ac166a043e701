/**
 * Which kubeconfig a connection uses, and whether one was given at all: a path the caller names (a target's
 * `cluster.kubeconfig`), else $KUBECONFIG (its first entry), else ~/.kube/config when that file exists. "Not given"
 * is a state of its own, distinct from "given but broken": an optional kubeconfig that nobody set up means the
 * cluster checks are not run; one that is set up and fails is a failure (see src/cluster/target-access.ts).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KubeconfigChoice {
  file: string;
  /** Where the path came from: the caller, $KUBECONFIG, or the default location. */
  from: 'explicit' | 'KUBECONFIG' | 'default';
}

/** The kubeconfig a connection would read. GitHub maps an unset secret to "", so an empty KUBECONFIG is unset. */
export function kubeconfigChoice(explicit?: string, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): KubeconfigChoice {
  if (explicit) return { file: explicit, from: 'explicit' };
  const fromEnv = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  if (fromEnv) return { file: fromEnv, from: 'KUBECONFIG' };
  return { file: path.join(home, '.kube', 'config'), from: 'default' };
}

/** The kubeconfig given, or undefined when none is: no explicit path, no KUBECONFIG, and no default file. */
export function givenKubeconfig(explicit?: string, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): KubeconfigChoice | undefined {
  const choice = kubeconfigChoice(explicit, env, home);
  return choice.from === 'default' && !existsSync(choice.file) ? undefined : choice;
}
