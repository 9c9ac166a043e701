/**
 * The control-plane images kubeadm deploys, made on the project's Docker engine without a registry: each is the
 * node's own base image (rootfs.ts NODE_ROOTFS, imported) plus one binary, tagged with the exact name kubeadm v1.34.12
 * asks for (registry.k8s.io/kube-apiserver:v1.34.12 …); pause is FROM scratch (a static binary, as upstream's).
 * Why the node's base and not a minimal one of their own: a second debootstrap cost 345 s cold under load (docs/kind.md
 * figures), while the node base already holds what kube-proxy shells out to (iptables, conntrack, nftables) and the
 * glibc the binaries link against. The price: the preloaded images carry that one shared layer (docs/kind.md).
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Docker, DockerError, dockerRaw, tail } from '../docker-engine/cli';
import { imageCacheDir } from '../debootstrap';
import { type ComponentImage, componentImages } from './versions';

/** Builds every component image (each build is cached by Docker's layer cache: same base, same binary → same id). */
export async function buildComponentImages(d: Docker, bin: string, base: string, onProgress: (m: string) => void): Promise<string[]> {
  const refs: string[] = [];
  for (const img of componentImages()) {
    onProgress(`  ${img.ref}`);
    await buildOne(d, img, bin, base);
    refs.push(img.ref);
  }
  return refs;
}

async function buildOne(d: Docker, img: ComponentImage, bin: string, base: string): Promise<void> {
  const ctx = path.join(imageCacheDir, `component-${img.binary}-${process.pid}`);
  rmSync(ctx, { recursive: true, force: true });
  mkdirSync(ctx, { recursive: true });
  try {
    copyFileSync(path.join(bin, img.binary), path.join(ctx, img.binary));
    const dest = img.binary === 'pause' ? '/pause' : `/usr/local/bin/${img.binary}`;
    const from = img.binary === 'pause' ? 'scratch' : base;
    const user = img.binary === 'pause' ? 'USER 65535:65535\n' : '';
    writeFileSync(
      path.join(ctx, 'Dockerfile'),
      `FROM ${from}\nCOPY ${img.binary} ${dest}\n${user}ENTRYPOINT ${JSON.stringify(img.entrypoint)}\n`,
    );
    const out = await dockerRaw(d, ['build', '--quiet', '--tag', img.ref, ctx], { timeoutMs: 600_000 });
    if (out.exitCode !== 0) throw new DockerError(`docker build of ${img.ref} failed: ${tail(out.stderr, 4)}`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
