/**
 * `npm run playground -- [broken|healthy|<folder>]`: the fix story by hand. A local control plane, the CRDs and the
 * chosen manifests on it, the embedded topology following the live objects behind one stable URL, a state file
 * for the other commands; then it waits. Ctrl-C (or `playground -- stop`, which sends SIGTERM) stops everything
 * it started, by PID, and removes the state. Everything that can refuse is checked before the first process
 * starts: bad input changes nothing.
 */
import { accessSync, constants, copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { clusterExpectation, deploymentRef, serviceRef } from '../cluster/expectation';
import { applyObjects } from '../k8s/apply';
import { connect } from '../k8s/client';
import { BUILD_COMMAND, type ControlPlane, type ControlPlaneState, controlPlaneBinaries, KUBE_VERSION, startControlPlane } from '../k8s/control-plane';
import { localClusterBasics } from '../k8s/local-cluster-basics';
import { loadManifestFolder } from '../k8s/manifest-folder';
import { ManifestError } from '../k8s/manifests';
import { describeRef, type K8sObject, type ObjectRef, patchObjects, refOf, sameObject } from '../k8s/objects';
import { loadTarget } from '../targets/load';
import { type Follower, followLiveObjects } from './follow';
import { isRunning, type PlaygroundState, playgroundDir, playgroundKubeconfig, readState, recordProcess, removeState, writeState } from './state';
import { playgroundStaging } from './story';

export class PlaygroundRefused extends Error {}

const stamp = () => new Date().toISOString().slice(11, 19);
export const say = (line: string) => console.log(`[playground ${stamp()}] ${line}`);

/** The objects the traffic follows are the ones the local target names: a folder without them would follow nothing. */
function requireFollowedObjects(objects: K8sObject[], where: string, refs: ObjectRef[]): void {
  for (const ref of refs) {
    if (!objects.some((o) => sameObject(refOf(o), ref))) {
      throw new PlaygroundRefused(`${where} has no ${describeRef(ref)}: the playground follows the objects targets/local.yaml names (cluster.objects)`);
    }
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Every check that can refuse, before anything starts. */
function prepare(arg: string) {
  const running = readState();
  if (running) {
    const how = isRunning(running.process) ? `runs (pid ${running.process.pid}, ${running.appUrl})` : `left its state behind (pid ${running.process.pid} is gone)`;
    throw new PlaygroundRefused(`a playground ${how}: run \`npm run playground -- stop\` first`);
  }
  const folder = loadManifestFolder(arg);
  const expect = clusterExpectation(loadTarget('local'));
  const staging = playgroundStaging(folder.set);
  const objects = patchObjects(folder.objects, staging.patches);
  requireFollowedObjects(objects, folder.set ? `kind/manifests/${folder.set}` : folder.dir, [deploymentRef(expect), serviceRef(expect)]);
  const bins = controlPlaneBinaries();
  if (!bins) throw new PlaygroundRefused(`kube-apiserver and etcd are not built: run \`${BUILD_COMMAND}\` first (or set KUBEBUILDER_ASSETS)`);
  for (const b of [bins.apiserver, bins.etcd]) {
    if (!executable(b)) throw new PlaygroundRefused(`not an executable: ${b} (KUBEBUILDER_ASSETS=${process.env.KUBEBUILDER_ASSETS ?? ''}; build with \`${BUILD_COMMAND}\`)`);
  }
  return { folder, objects, namespace: expect.namespace, note: staging.note };
}

export async function runPlayground(arg: string): Promise<number> {
  let plan: ReturnType<typeof prepare>;
  try {
    plan = prepare(arg);
  } catch (e) {
    if (e instanceof PlaygroundRefused || e instanceof ManifestError) {
      console.error(`playground: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const { folder, objects, namespace } = plan;
  const shown = folder.set ? `kind/manifests/${folder.set}` : folder.dir;
  let cp: ControlPlane | undefined;
  let follower: Follower | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      if (!cp) return; // nothing had started
      const pids = [process.pid, ...cp.pids, ...(follower?.pids() ?? [])];
      await follower?.stop().catch((e: Error) => say(`stopping the topology: ${e.message}`));
      await cp.stop().catch((e: Error) => say(`stopping the control plane: ${e.message}`));
      removeState();
      say(`stopped everything it started (pids ${pids.join(' ')}); state removed`);
    })();
    return stopping;
  };
  const ended = new Promise<NodeJS.Signals>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => resolve(sig));
  });

  try {
    const t0 = Date.now();
    cp = await startControlPlane();
    say(`control plane ready: kube-apiserver ${KUBE_VERSION} + etcd at ${cp.server} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const admin = await connect({ kubeconfig: cp.adminKubeconfig });
    await applyObjects(admin, localClusterBasics());
    await applyObjects(admin, objects);
    say(`installed the CRDs and ${shown} (${objects.length} objects, server-side apply)${plan.note ? `; ${plan.note}` : ''}`);
    mkdirSync(playgroundDir, { recursive: true });
    copyFileSync(cp.adminKubeconfig, playgroundKubeconfig);

    // The control plane's own record (binaries included): `stop` ends a crashed playground's processes with it.
    const controlPlane = JSON.parse(readFileSync(path.join(cp.dir, 'state.json'), 'utf8')) as ControlPlaneState;
    const record = (): PlaygroundState => ({
      process: recordProcess(process.pid, 'playground'),
      url: follower?.url ?? '',
      appUrl: `${follower?.url ?? ''}/theia/`,
      kubeconfig: playgroundKubeconfig,
      namespace,
      manifests: shown,
      served: follower?.served() ?? '',
      controlPlane,
      topology: follower?.pids().map((pid) => recordProcess(pid, 'topology')) ?? [],
      startedAt: new Date(t0).toISOString(),
    });
    follower = await followLiveObjects(admin, namespace, say, () => writeState(record()));
    writeState(record());
    console.log(`
  app       ${follower.url}/theia/   (open it in a browser: a Theia-shaped app behind the load balancer)
  cluster   export KUBECONFIG=${playgroundKubeconfig}
  next      npm run diagnose -- playground
            npx tsx scripts/apply-fix.ts backendconfig-session-affinity
            npx tsx scripts/rollback.ts backendconfig-session-affinity
            npm run smoke -- playground
  stop      Ctrl-C here, or \`npm run playground -- stop\` from another shell
`);
    const sig = await ended;
    say(`${sig}: stopping`);
    await stopAll();
    return 0;
  } catch (e) {
    console.error(`playground: ${(e as Error).message.split('\n')[0]}`);
    await stopAll();
    return 1;
  }
}
