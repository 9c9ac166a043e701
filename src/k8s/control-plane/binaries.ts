/** Where the control plane's files are: the cache layout, and the kube-apiserver and etcd to run. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** src/k8s/control-plane/ → the project root. */
const DEFAULT_ROOT = path.resolve(HERE, '..', '..', '..');

export function controlPlanePaths(root: string = DEFAULT_ROOT) {
  const cache = path.join(root, '.cache', 'control-plane');
  return {
    root,
    goModule: path.join(root, 'tools', 'control-plane'),
    cache,
    bin: path.join(cache, 'bin'),
    run: path.join(cache, 'run'),
    hashFile: path.join(cache, 'bin', 'build.sha256'),
  };
}

export function isExecutable(file: string): boolean {
  try {
    return statSync(file).isFile() && (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Where kube-apiserver and etcd are: $KUBEBUILDER_ASSETS when set (not checked here: start fails
 * loudly if they are missing there), else the build cache when both were built; null otherwise.
 */
export function controlPlaneBinaries(root?: string): { apiserver: string; etcd: string } | null {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets) {
    return { apiserver: path.join(assets, 'kube-apiserver'), etcd: path.join(assets, 'etcd') };
  }
  const p = controlPlanePaths(root);
  const apiserver = path.join(p.bin, 'kube-apiserver');
  const etcd = path.join(p.bin, 'etcd');
  return isExecutable(apiserver) && isExecutable(etcd) ? { apiserver, etcd } : null;
}
