/**
 * The `kind-cluster` teardown: deletes the cluster only when the Playwright setup created it, and not with
 * KEEP_CLUSTER=1 (then the next run reuses it in seconds). A cluster from `npm run kind:up`, or one this
 * checkout did not create, is left alone. When it deletes the cluster on the project's own kind engine, it stops
 * that engine and proves nothing is left: no node container, no `kind` network and its host bridge, no dockerd or
 * containerd process, no mount under the engine's directories.
 */
import { expect, test as teardown } from '../../fixtures/base';
import { clusterExists, createdBy, deleteCluster } from '../../src/kind/cluster/kind-cluster';
import { dockerRaw } from '../../src/kind/docker-engine/cli';
import { enginePaths } from '../../src/kind/docker-engine/dockerd-files';
import { KIND_ENGINE, runningKindDocker, stopKindEngineIfIdle } from '../../src/kind/docker-engine/kind-engine';
import { engineLeftovers } from '../../src/kind/docker-engine/leftovers';
import { requireKind } from '../../src/kind/prerequisites';
import { clusterName } from '../../src/kind/settings';

teardown('kind cluster: delete what this run created (KEEP_CLUSTER=1 keeps it), leaving nothing behind', async () => {
  const name = clusterName();
  const creator = createdBy(name);
  if (creator !== 'playwright') {
    console.log(`[kind] keeping ${name}: ${creator ? `created by ${creator}` : 'not created by this checkout\'s test run'}`);
    return;
  }
  if (process.env.KEEP_CLUSTER === '1') {
    console.log(`[kind] KEEP_CLUSTER=1: keeping ${name} for the next run (npm run kind:down deletes it)`);
    return;
  }
  const docker = runningKindDocker();
  if (!docker) throw new Error(`the kind engine that holds ${name} is not running: nothing left to delete the cluster with`);
  const kind = await requireKind();
  const net = await dockerRaw(docker, ['network', 'inspect', '--format', '{{.Id}}', 'kind']);
  const bridges = net.exitCode === 0 ? [`br-${net.stdout.trim().slice(0, 12)}`] : [];
  const t0 = Date.now();
  await deleteCluster({ docker, kind, name });
  const deleted = Date.now() - t0;
  expect(await clusterExists({ docker, kind, name, image: '' }), `kind still lists ${name}`).toBe(false);
  const nodes = await dockerRaw(docker, ['ps', '--all', '--quiet', '--filter', `label=io.x-k8s.kind.cluster=${name}`]);
  expect(nodes.stdout.trim(), `node containers of ${name} left on the engine`).toBe('');
  const stopped = await stopKindEngineIfIdle();
  console.log(`[kind] deleted ${name} in ${(deleted / 1000).toFixed(1)} s; ${stopped}`);
  if (process.env.DOCKER_HOST) return; // the user's engine: its networks and processes are not ours to judge
  expect(stopped, 'the private kind engine should stop once its last cluster is gone').toMatch(/^private kind engine stopped/);
  const left = engineLeftovers(enginePaths(KIND_ENGINE), bridges);
  expect(left, `left behind by the kind engine after its cluster was deleted (bridges checked: ${bridges.join(', ') || 'none'})`).toEqual({
    dockerd: null,
    processes: [],
    mounts: [],
    interfaces: [],
  });
});
