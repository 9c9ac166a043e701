/**
 * `kind create cluster` with the project's config (kind/cluster.yaml) and node image, on a Docker engine, through
 * the project's code: where no registry is reachable (these machines) it must end with the project's message
 * (the node image cannot be pulled: what to do, and the local target instead), not kind's error or a stack trace,
 * and leave no node container behind. Where the image can be had, the cluster really comes up, and is deleted.
 */
import { clusterExists, createOrReuseCluster, deleteCluster } from '../../src/kind/cluster/kind-cluster';
import { dockerRaw } from '../../src/kind/docker-engine/cli';
import { buildKind } from '../../src/kind/cluster/kind-binary';
import { LOCAL_ALTERNATIVE, PrerequisiteError } from '../../src/kind/prerequisites';
import { nodeImage } from '../../src/kind/settings';
import { containerTest as test, expect } from './engine-fixture';

test('kind create cluster with the project config: created, or the node-image message', { tag: '@containers' }, async ({ engine }, testInfo) => {
  test.setTimeout(600_000);
  const kind = await test.step('kind binary (go install from the module proxy, cached)', async () => (await buildKind()).bin);
  // A name of this run's own: the checkout's cluster (socketproof-<hash>) may be a user's running one.
  const name = `socketproof-test-${process.pid}`;
  const ctx = { docker: engine.docker, kind, name, image: nodeImage(), kubeconfig: testInfo.outputPath(`${name}.kubeconfig`) };
  const t0 = Date.now();
  const outcome = await createOrReuseCluster(ctx).then(
    (c) => c,
    (e: unknown) => e,
  );
  testInfo.annotations.push({ type: 'figures', description: `kind create cluster ended after ${Date.now() - t0} ms` });
  try {
    if (outcome instanceof Error) {
      await testInfo.attach('message', { body: outcome.message, contentType: 'text/plain' });
      expect(outcome, outcome.stack).toBeInstanceOf(PrerequisiteError);
      const err = outcome as PrerequisiteError;
      expect(err.missing).toBe('node-image');
      expect(err.message).toContain(`the kind node image ${ctx.image} is not on this Docker engine and cannot be pulled`);
      expect(err.message).toContain('no image registry is reachable from here');
      expect(err.message).toContain('SOCKETPROOF_KIND_NODE_IMAGE=');
      expect(err.message).toContain(LOCAL_ALTERNATIVE);
      expect(err.message).not.toMatch(/^\s+at /m);
    } else {
      testInfo.annotations.push({ type: 'note', description: `the node image was available: cluster ${ctx.name} was created for real` });
      expect(await clusterExists(ctx)).toBe(true);
    }
  } finally {
    if (await clusterExists(ctx)) await deleteCluster(ctx);
    // kind removes a half-made node itself; nothing of this cluster may remain on the engine either way.
    const left = await dockerRaw(engine.docker, ['ps', '--all', '--quiet', '--filter', `label=io.x-k8s.kind.cluster=${ctx.name}`]);
    expect(left.stdout.trim(), 'node containers left behind').toBe('');
  }
});
