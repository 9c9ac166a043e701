/**
 * The pod image's base: a Debian bookworm root filesystem with nginx, made by debootstrap from the Debian mirror
 * (no image registry involved) and cached as a tarball in .cache/kind-image/, keyed by the recipe. `docker import`
 * turns it into the base image the Dockerfile builds on. Node is not taken from Debian (bookworm has 18): the
 * image gets this machine's Node binary, the one the local topology runs (pod-image.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { $ } from 'zx';
import { projectRoot } from '../../targets/load';
import { tail } from '../docker-engine/cli';
import { PrerequisiteError, requireDebootstrap } from '../prerequisites';

export const SUITE = 'bookworm';
/** nginx-light: the proxy, map and return modules the pod config uses, without the extras. */
export const PACKAGES = ['nginx-light'];
/** What is deleted after bootstrap: apt indexes and caches, docs, man pages, locales (≈ 227 → 94 MB). */
const TRIM = ['var/lib/apt/lists/*', 'var/cache/apt/*', 'usr/share/doc/*', 'usr/share/man/*', 'usr/share/info/*', 'usr/share/locale/*', 'var/log/*.log'];
/** Bump when the recipe changes in a way the hash below cannot see. */
const RECIPE = 1;

export const imageCacheDir = path.join(projectRoot, '.cache', 'kind-image');

export function debianMirror(env = process.env): string {
  return env.SOCKETPROOF_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
}

export function baseHash(env = process.env): string {
  return createHash('sha256')
    .update(JSON.stringify({ RECIPE, SUITE, PACKAGES, TRIM, mirror: debianMirror(env) }))
    .digest('hex')
    .slice(0, 12);
}

export function baseTarball(hash = baseHash()): string {
  return path.join(imageCacheDir, `base-${hash}.tar`);
}

/** The cached tarball, made first when missing (cold: ~30 s on 2 cores with a warm mirror, plus the download). */
export async function ensureBaseTarball(onProgress?: (m: string) => void): Promise<{ file: string; built: boolean; ms: number }> {
  const t0 = performance.now();
  const file = baseTarball();
  if (existsSync(file)) return { file, built: false, ms: performance.now() - t0 };
  const debootstrap = requireDebootstrap();
  // A private work dir and an atomic rename: two runs building at once waste time but never share a half tarball.
  const work = path.join(imageCacheDir, `work-${process.pid}`);
  const rootfs = path.join(work, 'rootfs');
  const debs = path.join(imageCacheDir, 'debs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(debs, { recursive: true });
  mkdirSync(work, { recursive: true });
  try {
    onProgress?.(`debootstrap --variant=minbase ${SUITE} + ${PACKAGES.join(', ')} from ${debianMirror()}`);
    const boot = await $({ nothrow: true, quiet: true })`nice -n 19 ${debootstrap} --variant=minbase ${`--include=${PACKAGES.join(',')}`} ${`--cache-dir=${debs}`} ${SUITE} ${rootfs} ${debianMirror()}`;
    if (boot.exitCode !== 0) {
      const log = await $({ nothrow: true, quiet: true })`tail -n 3 ${path.join(rootfs, 'debootstrap/debootstrap.log')}`;
      throw new PrerequisiteError(
        'debian-mirror',
        `debootstrap of ${SUITE} failed (${tail(boot.stderr || boot.stdout, 2)}${log.stdout.trim() ? ` | ${tail(log.stdout, 2)}` : ''}).`,
        `the pod image's base is bootstrapped from a Debian mirror: check that ${debianMirror()} is reachable, or set SOCKETPROOF_DEBIAN_MIRROR.`,
      );
    }
    trim(rootfs);
    await $({ quiet: true })`tar --numeric-owner --sort=name -C ${rootfs} -cf ${`${file}.${process.pid}`} .`;
    renameSync(`${file}.${process.pid}`, file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { file, built: true, ms: performance.now() - t0 };
}

/** Deletes the TRIM patterns (each `dir/<glob>`, `*` only) inside the root filesystem. */
function trim(rootfs: string): void {
  for (const pattern of TRIM) {
    const dir = path.join(rootfs, path.dirname(pattern));
    const re = new RegExp(`^${path.basename(pattern).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    for (const e of entries.filter((n) => re.test(n))) rmSync(path.join(dir, e), { recursive: true, force: true });
  }
}
