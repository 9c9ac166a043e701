/**
 * The `kind-cluster` teardown: deletes the cluster only when the Playwright setup created it, and not with
 * KEEP_CLUSTER=1 (then the next run reuses it in seconds). A cluster from `npm run kind:up`, or one this
 * checkout did not create, is left alone.
 */
import { test as teardown } from '@playwright/test';
import { createdBy, deleteCluster } from '../../src/kind/cluster/kind-cluster';
import { runningKindDocker, stopKindEngineIfIdle } from '../../src/kind/docker-engine/kind-engine';
import { requireKind } from '../../src/kind/prerequisites';
import { clusterName } from '../../src/kind/settings';

teardown('kind cluster: delete what this run created (KEEP_CLUSTER=1 keeps it)', async () => {
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
  const t0 = Date.now();
  await deleteCluster({ docker, kind: await requireKind(), name });
  console.log(`[kind] deleted ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${await stopKindEngineIfIdle()}`);
});
