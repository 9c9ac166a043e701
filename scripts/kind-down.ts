/**
 * Deletes this checkout's kind cluster (socketproof-<hash>, or SOCKETPROOF_KIND_CLUSTER) and its kubeconfig.
 * Never touches other clusters: the name is the only one it deletes.
 *
 *   npx tsx scripts/kind-down.ts        (npm run kind:down)
 */
import { clusterExists, deleteCluster } from '../src/kind/cluster/kind-cluster';
import { defaultDocker } from '../src/kind/docker-engine/cli';
import { PrerequisiteError, requireDaemon, requireKind } from '../src/kind/prerequisites';
import { clusterName, nodeImage } from '../src/kind/settings';

try {
  const docker = defaultDocker();
  await requireDaemon(docker);
  const kind = await requireKind();
  const ctx = { docker, kind, name: clusterName(), image: nodeImage() };
  if (!(await clusterExists(ctx))) {
    console.log(`[kind-down] no kind cluster named ${ctx.name}: nothing to delete`);
  } else {
    const t0 = Date.now();
    await deleteCluster(ctx);
    console.log(`[kind-down] deleted ${ctx.name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} catch (err) {
  console.error(err instanceof PrerequisiteError ? err.message : `kind-down: ${(err as Error).message}`);
  process.exitCode = 1;
}
