/**
 * Puts the component images into the node's containerd before the image is committed, as `kind build node-image`
 * does (sigs.k8s.io/kind pkg/build/nodeimage/buildcontext.go and imageimporter.go): a build container from the node
 * layer runs `sleep infinity`, containerd is started in it, `ctr images import --no-unpack` loads the `docker save`
 * archive into the k8s.io namespace (content only: the snapshots are made on the node's /var volume at run time),
 * containerd is stopped, and the container is committed with kind's entry point.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { type Docker, DockerError, docker, dockerRaw, tail } from '../docker-engine/cli';
import { imageCacheDir } from '../debootstrap';

export interface PreloadOptions {
  /** The node layer (entry point kind's; replaced by sleep for the build container). */
  from: string;
  images: string[];
  /** The committed image and its labels. */
  tag: string;
  labels: Record<string, string>;
  onProgress: (m: string) => void;
}

/** Polls until `probe` succeeds or the deadline passes; the last failure is the error. */
async function until(what: string, deadlineMs: number, probe: () => Promise<{ ok: boolean; detail: string }>): Promise<void> {
  const end = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < end) {
    const r = await probe();
    if (r.ok) return;
    last = r.detail;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new DockerError(`${what} not ready after ${deadlineMs / 1000} s: ${last}`);
}

export async function preloadAndCommit(d: Docker, o: PreloadOptions): Promise<void> {
  const archive = path.join(imageCacheDir, `component-images-${process.pid}.tar`);
  const name = `socketproof-node-build-${process.pid}`;
  try {
    o.onProgress(`docker save ${o.images.length} images`);
    await docker(d, ['save', '--output', archive, ...o.images], { timeoutMs: 600_000 });
    await docker(d, ['run', '--detach', '--name', name, '--label', 'socketproof.run=node-image', '--security-opt', 'seccomp=unconfined', '--entrypoint', 'sleep', o.from, 'infinity']);
    await docker(d, ['cp', archive, `${name}:/images.tar`], { timeoutMs: 600_000 });
    o.onProgress('containerd in the build container: import into namespace k8s.io');
    await docker(d, ['exec', '--detach', name, 'sh', '-c', 'exec containerd >/var/log/containerd-build.log 2>&1']);
    await until('containerd in the build container', 30_000, async () => {
      const r = await dockerRaw(d, ['exec', name, 'ctr', 'version']);
      return { ok: r.exitCode === 0, detail: tail(r.stderr, 1) };
    });
    const imp = await dockerRaw(
      d,
      ['exec', name, 'ctr', '--namespace=k8s.io', 'images', 'import', '--label=io.cri-containerd.pinned=pinned', '--all-platforms', '--no-unpack', '--digests', '/images.tar'],
      { timeoutMs: 600_000 },
    );
    if (imp.exitCode !== 0) throw new DockerError(`ctr images import failed: ${tail(imp.stderr, 3)}`);
    const list = (await docker(d, ['exec', name, 'ctr', '--namespace=k8s.io', 'images', 'list', '--quiet'])).split('\n');
    const missing = o.images.filter((i) => !list.includes(i) && !list.includes(`docker.io/${i}`));
    if (missing.length) throw new DockerError(`after the import, containerd lacks ${missing.join(', ')} (has: ${list.join(', ')})`);
    // containerd ends on SIGTERM; wait for it so its database is closed before the commit.
    await docker(d, ['exec', name, 'sh', '-c', 'pkill -TERM -x containerd; for i in $(seq 100); do pgrep -x containerd >/dev/null || exit 0; sleep 0.1; done; exit 1']);
    await docker(d, ['exec', name, 'rm', '-f', '/images.tar', '/var/log/containerd-build.log']);
    o.onProgress(`docker commit → ${o.tag}`);
    const changes = [
      'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
      'CMD []',
      ...Object.entries(o.labels).map(([k, v]) => `LABEL ${k}=${v}`),
    ].flatMap((c) => ['--change', c]);
    await docker(d, ['commit', ...changes, name, o.tag], { timeoutMs: 600_000 });
  } finally {
    await dockerRaw(d, ['rm', '--force', '--volumes', name]);
    rmSync(archive, { force: true });
  }
}
