/**
 * Debian root filesystems made by debootstrap from the Debian mirror (no image registry involved), cached as
 * tarballs in .cache/kind-image/ keyed by their recipe. `docker import` turns one into a base image. Used by the pod
 * image (pod-image/rootfs.ts) and by the kind node image and its component images (node-image/rootfs.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { $ } from 'zx';
import { projectRoot } from '../paths';
import { tail } from './docker-engine/cli';
import { PrerequisiteError, requireDebootstrap } from './prerequisites';

export interface RootfsRecipe {
  /** File name prefix in .cache/kind-image/ (`<prefix>-<hash>.tar`). */
  prefix: string;
  /** What the tarball is for, in progress lines and errors. */
  purpose: string;
  suite: string;
  packages: string[];
  /** Deleted after bootstrap, each `dir/<glob>` (`*` only). */
  trim: string[];
  /** Bump when the recipe changes in a way the hash cannot see. */
  version: number;
}

/** What the pod image and the node images delete: apt indexes and caches, docs, man pages, locales. */
export const STANDARD_TRIM = [
  'var/lib/apt/lists/*',
  'var/cache/apt/*',
  'usr/share/doc/*',
  'usr/share/man/*',
  'usr/share/info/*',
  'usr/share/locale/*',
  'var/log/*.log',
];

export const imageCacheDir = path.join(projectRoot, '.cache', 'kind-image');

export function debianMirror(env = process.env): string {
  return env.SOCKETPROOF_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
}

/** 12 hex of sha256 over the recipe and the mirror (the key names are the pod image's historic ones: same hash). */
export function recipeHash(r: RootfsRecipe, env = process.env): string {
  return createHash('sha256')
    .update(JSON.stringify({ RECIPE: r.version, SUITE: r.suite, PACKAGES: r.packages, TRIM: r.trim, mirror: debianMirror(env) }))
    .digest('hex')
    .slice(0, 12);
}

export function rootfsTarball(r: RootfsRecipe, hash = recipeHash(r)): string {
  return path.join(imageCacheDir, `${r.prefix}-${hash}.tar`);
}

/** The cached tarball, made first when missing (`debootstrap --variant=minbase`, under nice -n 10 as every long build here). */
export async function ensureRootfsTarball(
  r: RootfsRecipe,
  onProgress?: (m: string) => void,
): Promise<{ file: string; built: boolean; ms: number }> {
  const t0 = performance.now();
  const file = rootfsTarball(r);
  if (existsSync(file)) return { file, built: false, ms: performance.now() - t0 };
  const debootstrap = requireDebootstrap();
  // A private work dir and an atomic rename: two runs building at once waste time but never share a half tarball.
  const work = path.join(imageCacheDir, `work-${r.prefix}-${process.pid}`);
  const rootfs = path.join(work, 'rootfs');
  const debs = path.join(imageCacheDir, 'debs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(debs, { recursive: true });
  mkdirSync(work, { recursive: true });
  try {
    onProgress?.(`debootstrap --variant=minbase ${r.suite} + ${r.packages.join(', ')} from ${debianMirror()} (${r.purpose})`);
    const boot = await $({ nothrow: true, quiet: true })`nice -n 10 ${debootstrap} --variant=minbase ${`--include=${r.packages.join(',')}`} ${`--cache-dir=${debs}`} ${r.suite} ${rootfs} ${debianMirror()}`;
    if (boot.exitCode !== 0) {
      const log = await $({ nothrow: true, quiet: true })`tail -n 3 ${path.join(rootfs, 'debootstrap/debootstrap.log')}`;
      throw new PrerequisiteError(
        'debian-mirror',
        `debootstrap of ${r.suite} failed for ${r.purpose} (${tail(boot.stderr || boot.stdout, 2)}${log.stdout.trim() ? ` | ${tail(log.stdout, 2)}` : ''}).`,
        `${r.purpose} is bootstrapped from a Debian mirror: check that ${debianMirror()} is reachable, or set SOCKETPROOF_DEBIAN_MIRROR.`,
      );
    }
    trim(rootfs, r.trim);
    await $({ quiet: true })`tar --numeric-owner --sort=name -C ${rootfs} -cf ${`${file}.${process.pid}`} .`;
    renameSync(`${file}.${process.pid}`, file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { file, built: true, ms: performance.now() - t0 };
}

function trim(rootfs: string, patterns: string[]): void {
  for (const pattern of patterns) {
    const dir = path.join(rootfs, path.dirname(pattern));
    const re = new RegExp(`^${path.basename(pattern).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    for (const e of entries.filter((n) => re.test(n))) rmSync(path.join(dir, e), { recursive: true, force: true });
  }
}
