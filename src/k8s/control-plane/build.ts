/**
 * Building kube-apiserver and etcd from tools/control-plane/ into .cache/control-plane/bin/,
 * skipped when the hash recorded beside the binaries still matches their sources.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { controlPlanePaths, isExecutable } from './binaries';
import { ETCD_VERSION, KUBE_VERSION } from './versions';

export interface BuildResult {
  skipped: boolean;
  ms: number;
  apiserver: string;
  etcd: string;
  hash: string;
}

/** -X flags so that /version reports the real release instead of v0.0.0-master. */
const LDFLAGS = [
  `-X k8s.io/component-base/version.gitVersion=${KUBE_VERSION}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  '-X k8s.io/component-base/version.gitMinor=34',
  '-X k8s.io/component-base/version.gitTreeState=clean',
].join(' ');

function findGo(): string {
  if (process.env.GO) return process.env.GO;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  if (isExecutable('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('no Go toolchain found: put go on PATH, set $GO, or install it at /usr/local/go');
}

/** sha256 over what decides the binaries: go.mod, go.sum, the two mains, the ldflags. */
export function controlPlaneSourceHash(root?: string): string {
  const p = controlPlanePaths(root);
  const h = createHash('sha256');
  for (const rel of ['go.mod', 'go.sum', 'cmd/kube-apiserver/main.go', 'cmd/etcd/main.go']) {
    h.update(`${rel}\0`);
    h.update(readFileSync(path.join(p.goModule, rel)));
  }
  h.update(LDFLAGS);
  return h.digest('hex');
}

/**
 * Builds kube-apiserver and etcd into .cache/control-plane/bin/ (under `nice -n 19`). Skips when
 * both exist and the hash recorded beside them matches go.mod/go.sum/the mains. Cold (empty Go
 * caches) this takes many minutes on 2 cores; onProgress gets a line every ~15 s.
 */
export async function buildControlPlane(
  onProgress: (msg: string) => void = () => {},
  opts: { root?: string; force?: boolean } = {},
): Promise<BuildResult> {
  const p = controlPlanePaths(opts.root);
  const apiserver = path.join(p.bin, 'kube-apiserver');
  const etcd = path.join(p.bin, 'etcd');
  const hash = controlPlaneSourceHash(opts.root);
  const t0 = Date.now();
  const recorded = existsSync(p.hashFile) ? readFileSync(p.hashFile, 'utf8').trim() : '';
  if (!opts.force && recorded === hash && isExecutable(apiserver) && isExecutable(etcd)) {
    onProgress(`up to date (hash ${hash.slice(0, 12)} matches ${path.relative(p.root, p.hashFile)}): nothing to build`);
    return { skipped: true, ms: Date.now() - t0, apiserver, etcd, hash };
  }
  const go = findGo();
  mkdirSync(p.bin, { recursive: true });
  await fs.rm(p.hashFile, { force: true });
  onProgress(`building kube-apiserver ${KUBE_VERSION} and etcd ${ETCD_VERSION} with ${go} (nice -n 19) into ${p.bin}`);

  let packages = 0;
  let last = '';
  let stage = 'downloading modules';
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - t0) / 1000);
    onProgress(`  ... ${s}s elapsed: ${stage}${packages ? `, ${packages} packages compiled (last: ${last})` : ''}`);
  }, 15_000);
  try {
    const sh = $({ cwd: p.goModule, quiet: true, env: { ...process.env, GOFLAGS: '-buildvcs=false' } });
    await sh`nice -n 19 ${go} mod download`;
    stage = 'compiling';
    const proc = sh`nice -n 19 ${go} build -v -trimpath -ldflags ${LDFLAGS} -o ${`${p.bin}/`} ./cmd/kube-apiserver ./cmd/etcd`;
    let tail = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-8000);
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() && !line.startsWith('#') && !line.includes(' ')) {
          packages++;
          last = line.trim();
        }
      }
    });
    const out = await proc.nothrow();
    if (out.exitCode !== 0) {
      throw new Error(`go build failed (exit ${out.exitCode}) in ${p.goModule}:\n${tail.split('\n').slice(-40).join('\n')}`);
    }
  } finally {
    clearInterval(timer);
  }
  await fs.writeFile(p.hashFile, `${hash}\n`);
  const ms = Date.now() - t0;
  onProgress(`built ${packages} packages in ${(ms / 1000).toFixed(1)} s`);
  return { skipped: false, ms, apiserver, etcd, hash };
}
