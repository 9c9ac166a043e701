/**
 * The pod image's base: a Debian bookworm root filesystem with nginx (debootstrap.ts), cached as a tarball keyed by
 * this recipe. Node is not taken from Debian (bookworm has 18): the image gets this machine's Node binary, the one
 * the local topology runs (build.ts).
 */
import { type RootfsRecipe, STANDARD_TRIM, ensureRootfsTarball, recipeHash, rootfsTarball } from '../debootstrap';

export { imageCacheDir } from '../debootstrap';

export const POD_ROOTFS: RootfsRecipe = {
  prefix: 'base',
  purpose: "the pod image's base",
  suite: 'bookworm',
  // nginx-light: the proxy, map and return modules the pod config uses, without the extras.
  packages: ['nginx-light'],
  // ≈ 227 → 94 MB
  trim: STANDARD_TRIM,
  version: 1,
};

export const baseHash = (env = process.env): string => recipeHash(POD_ROOTFS, env);
export const baseTarball = (hash = baseHash()): string => rootfsTarball(POD_ROOTFS, hash);
export const ensureBaseTarball = (onProgress?: (m: string) => void) => ensureRootfsTarball(POD_ROOTFS, onProgress);
