/**
 * `npm run kind:node-image`: the kind node image socketproof/kind-node:v1.34.12, built on the project's Docker
 * engine from Go modules and Debian packages only (no registry, no release download). Steps, each cached:
 *   binaries   → .cache/kind-node/bin (go-build.ts: hash of module + flags + Go version)
 *   rootfs     → .cache/kind-image/*.tar (debootstrap.ts: hash of the recipe), imported as the node base
 *   images     → component images FROM the node base (Docker layer cache)
 *   node layer → kind's base files + binaries + CNI (node-files.ts)
 *   preload    → component images in the node's containerd, committed (preload.ts)
 * The final image carries the label socketproof.inputs = sha256 of everything above; when the image with that label
 * exists, nothing after the binaries' hash check runs (a warm build takes seconds).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../../paths';
import { type Docker, docker, dockerRaw, imageExists } from '../docker-engine/cli';
import { ensureRootfsTarball, imageCacheDir, recipeHash } from '../debootstrap';
import { hashDir } from '../pod-image/build';
import { type Step, ensureNodeBinaries } from './binaries';
import { buildComponentImages } from './component-images';
import { moduleDir } from './go-build';
import { stageNodeContext } from './node-files';
import { preloadAndCommit } from './preload';
import { NODE_ROOTFS } from './rootfs';
import { KIND_MODULE, NODE_IMAGE, componentImages } from './versions';

/** Bump when the assembly changes in a way the inputs hash cannot see. */
const ASSEMBLY = 2;
export const INPUTS_LABEL = 'socketproof.inputs';

export interface NodeImageResult {
  image: string;
  built: boolean;
  inputs: string;
  steps: { name: string; ms: number; cached: boolean }[];
  ms: number;
}

export async function ensureNodeImage(d: Docker, onProgress: (m: string) => void = () => {}, root = projectRoot): Promise<NodeImageResult> {
  const t0 = performance.now();
  const steps: NodeImageResult['steps'] = [];
  const step: Step = async (name, fn) => {
    const s0 = performance.now();
    onProgress(`[${steps.length + 1}] ${name} …`);
    const r = await fn();
    const cached = Boolean(r && typeof r === 'object' && 'skipped' in r && r.skipped);
    const ms = performance.now() - s0;
    steps.push({ name, ms, cached });
    onProgress(`[${steps.length}] ${name}: ${cached ? 'cached' : 'done'} in ${(ms / 1000).toFixed(1)} s`);
  };

  const bin = await ensureNodeBinaries(step, onProgress, root);
  const ctx = path.join(imageCacheDir, `node-context-${process.pid}`);
  let inputs = '';
  try {
    await step('stage node layer + inputs hash', async () => {
      stageNodeContext(ctx, path.join(await moduleDir(KIND_MODULE), 'images', 'base', 'files'), bin);
      const h = createHash('sha256').update(JSON.stringify({ ASSEMBLY, node: recipeHash(NODE_ROOTFS) }));
      h.update(hashDir(ctx));
      for (const img of componentImages()) h.update(`${img.ref}\0`).update(readFileSync(path.join(bin, img.binary)));
      inputs = h.digest('hex').slice(0, 16);
    });
    const have = (await imageExists(d, NODE_IMAGE))
      ? (await docker(d, ['image', 'inspect', '--format', `{{index .Config.Labels "${INPUTS_LABEL}"}}`, NODE_IMAGE])).trim()
      : '';
    if (have === inputs) {
      onProgress(`${NODE_IMAGE} is up to date (inputs ${inputs})`);
      return { image: NODE_IMAGE, built: false, inputs, steps, ms: performance.now() - t0 };
    }
    onProgress(have ? `${NODE_IMAGE} has inputs ${have}, now ${inputs}: rebuilding` : `${NODE_IMAGE} not on this engine: building`);
    // The node base first: it is the component images' base too (one debootstrap, component-images.ts).
    const nodeBase = `socketproof/kind-node-base:${recipeHash(NODE_ROOTFS)}`;
    await step('node rootfs (debootstrap + import)', async () => {
      if (await imageExists(d, nodeBase)) return { skipped: true };
      const tar = await ensureRootfsTarball(NODE_ROOTFS, onProgress);
      onProgress(`docker import ${path.basename(tar.file)} → ${nodeBase}`);
      await docker(d, ['import', tar.file, nodeBase], { timeoutMs: 600_000 });
      return { skipped: false };
    });
    await step('component images (kube-apiserver, controller-manager, scheduler, kube-proxy, etcd, pause)', async () => {
      await buildComponentImages(d, bin, nodeBase, onProgress);
    });
    const layer = `socketproof/kind-node-layer:${inputs}`;
    await step('node layer (kind base files, binaries, CNI)', async () => {
      const out = await dockerRaw(d, ['build', '--build-arg', `BASE=${nodeBase}`, '--tag', layer, ctx], { timeoutMs: 900_000 });
      if (out.exitCode !== 0) throw new Error(`docker build of the node layer failed:\n${(out.stdout + out.stderr).split('\n').slice(-15).join('\n')}`);
    });
    await step('preload images into containerd + commit', () =>
      preloadAndCommit(d, {
        from: layer,
        images: componentImages().map((i) => i.ref),
        tag: NODE_IMAGE,
        labels: { [INPUTS_LABEL]: inputs },
        onProgress,
      }),
    );
    await dockerRaw(d, ['rmi', layer]);
    // The previous image's layers, now untagged, are left to `docker image prune` (other tags may share them).
    return { image: NODE_IMAGE, built: true, inputs, steps, ms: performance.now() - t0 };
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
