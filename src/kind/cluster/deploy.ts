/**
 * kind-up as a function (scripts/kind-up.ts and the `kind-cluster` setup project call it): prerequisites, cluster
 * (create or reuse), pod image (build, tag as the production Deployment's images, `kind load`), manifests
 * (production set unchanged + kind overlay, server-side apply), rollout, the pod-nginx hop label, and the host
 * URLs answering. Each step is timed; each failure is one message.
 */
import { MANIFEST_FIELD_MANAGER, applyObjects } from '../../k8s/apply';
import { type ClusterConnection, connect, deleteObject } from '../../k8s/client';
import { loadTarget } from '../../targets/load';
import { type KindCluster, clusterExists, createOrReuseCluster, loadImage } from './kind-cluster';
import { type Docker, docker, dockerRaw, tail } from '../docker-engine/cli';
import { type KindEngine, kindEngine, stopKindEngineIfIdle } from '../docker-engine/kind-engine';
import { KIND_FIELD_MANAGER, overlayObjects, podDeployment, productionObjects } from './manifests';
import { ensurePodImage } from '../pod-image/build';
import { requireKind } from '../prerequisites';
import { labelHopPod, listPods, waitForRollout, waitForUrls } from './rollout';
import { clusterName } from '../settings';
import { chooseNodeImage } from './node-image-choice';

export interface KindUpOptions {
  docker?: Docker;
  createdBy?: 'kind-up' | 'playwright';
  /** Deadline for the Deployment's rollout (default 180 s, SOCKETPROOF_KIND_ROLLOUT_TIMEOUT in seconds). */
  rolloutMs?: number;
  onProgress?: (m: string) => void;
}

export interface KindUp {
  cluster: KindCluster;
  conn: ClusterConnection;
  podImage: string;
  hopPod: string;
  urls: Record<string, string>;
  timings: Record<string, number>;
}

export async function kindUp(opts: KindUpOptions = {}): Promise<KindUp> {
  const say = opts.onProgress ?? (() => undefined);
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await fn();
    timings[name] = Date.now() - t0;
    return value;
  };
  // The engine outlives this process (the cluster does): the user's (DOCKER_HOST) or the project's persistent one.
  const engine = opts.docker ? undefined : await step('engine', () => kindEngine(say));
  const d = opts.docker ?? (engine as KindEngine).docker;
  const ctx = { docker: d, kind: '', name: clusterName(), image: '', createdBy: opts.createdBy, onProgress: say };
  try {
    ctx.kind = await step('prerequisites', () => requireKind());
    // The node image only matters for a new cluster; choosing may build the project's own (cached: seconds).
    if (!(await clusterExists(ctx))) ctx.image = await step('nodeImage', () => chooseNodeImage(d, say));
  } catch (err) {
    // Nothing was created on an engine this call started: stop it again rather than leave a daemon behind.
    if (engine?.started) say(await stopKindEngineIfIdle());
    throw err;
  }
  const cluster = await step('cluster', () => createOrReuseCluster(ctx));
  const production = productionObjects();
  const dep = podDeployment(production);
  const image = await step('podImage', () => ensurePodImage(d, say));
  const changed = await step('tag', () => tagAsDeploymentImages(d, image.ref, dep.images));
  await step('load', () => loadImage(ctx, Object.values(dep.images)));
  const conn = await connect({ kubeconfig: cluster.kubeconfig, timeoutMs: 10_000 });
  await step('apply', async () => {
    say(`applying kind/manifests/healthy (${production.length} objects, unchanged) and kind/manifests-kind/`);
    await applyObjects(conn, production, { fieldManager: MANIFEST_FIELD_MANAGER, force: true });
    await applyObjects(conn, overlayObjects(), { fieldManager: KIND_FIELD_MANAGER, force: true });
  });
  if (changed && !cluster.created) {
    // Same tags, new image: the Deployment does not change, so its pods are replaced by hand.
    say('pod image changed: replacing the running pods');
    for (const p of await listPods(conn, dep)) await deleteObject(conn, { apiVersion: 'v1', kind: 'Pod', name: p.metadata.name, namespace: dep.namespace });
  }
  const rolloutMs = opts.rolloutMs ?? Number(process.env.SOCKETPROOF_KIND_ROLLOUT_TIMEOUT ?? 180) * 1000;
  say(`waiting for Deployment ${dep.namespace}/${dep.name} (deadline ${rolloutMs / 1000} s)`);
  await step('rollout', () => waitForRollout(conn, dep, rolloutMs));
  const hopPod = await step('label', () => labelHopPod(conn, dep));
  const urls = Object.fromEntries(loadTarget('kind').hops.map((h) => [h.name, h.url]));
  await step('answer', () => waitForUrls(Object.values(urls), '/health', 60_000));
  return { cluster, conn, podImage: image.ref, hopPod, urls, timings };
}

/**
 * One tag per production container, each the pod image with that container's default command: `nginx` runs the
 * in-pod nginx; `theia` gets Theia's own flags from the Deployment, which the entry point understands. Returns
 * whether any tag now points at a different image than before.
 */
export async function tagAsDeploymentImages(d: Docker, ref: string, images: { nginx: string; theia: string }): Promise<boolean> {
  let changed = false;
  for (const [role, tag] of Object.entries(images)) {
    const before = await dockerRaw(d, ['image', 'inspect', '--format', '{{.Id}}', tag]);
    const out = await dockerRaw(d, ['build', '--quiet', '--tag', tag, '-'], { input: `FROM ${ref}\nCMD ["${role}"]\n` });
    if (out.exitCode !== 0) throw new Error(`tagging the pod image as ${tag} failed: ${tail(out.stderr)}`);
    const after = await docker(d, ['image', 'inspect', '--format', '{{.Id}}', tag]);
    changed ||= before.stdout.trim() !== after;
  }
  return changed;
}
