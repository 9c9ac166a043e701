/**
 * Deletes this checkout's kind cluster (socketproof-<hash>, or SOCKETPROOF_KIND_CLUSTER) and its kubeconfig.
 * Never touches other clusters: the name is the only one it deletes.
 *
 *   npx tsx scripts/kind-down.ts        (npm run kind:down)
 */
import { clusterExists, deleteCluster } from '../src/kind/cluster/kind-cluster';
import { runningKindDocker, stopKindEngineIfIdle } from '../src/kind/docker-engine/kind-engine';
import { PrerequisiteError, requireKind } from '../src/kind/prerequisites';
import { clusterName } from '../src/kind/settings';

try {
  const docker = runningKindDocker();
  const name = clusterName();
  if (!docker) {
    console.log(`[kind-down] the project's kind engine is not running (and DOCKER_HOST is unset): no cluster ${name} to delete`);
  } else {
    const kind = await requireKind();
    const ctx = { docker, kind, name, image: '' };
    if (!(await clusterExists(ctx))) {
      console.log(`[kind-down] no kind cluster named ${name}: nothing to delete`);
    } else {
      const t0 = Date.now();
      await deleteCluster(ctx);
      console.log(`[kind-down] deleted ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    console.log(`[kind-down] ${await stopKindEngineIfIdle()}`);
  }
} catch (err) {
  console.error(err instanceof PrerequisiteError ? err.message : `kind-down: ${(err as Error).message}`);
  process.exitCode = 1;
}
