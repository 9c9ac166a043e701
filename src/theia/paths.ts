/**
 * Where the real Theia app lives: `theia-app/`, an npm project of its own (its own package.json and lockfile,
 * installed into its own node_modules), built by `npm run theia:build`. The topology only needs to know whether the
 * build is there and where its backend's entry point is.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';

export const THEIA_BUILD_COMMAND = 'npm run theia:build';

export interface TheiaAppPaths {
  dir: string;
  packageJson: string;
  lockfile: string;
  nodeModules: string;
  /** The bundled backend: `node lib/backend/main.js <workspace> --hostname … --port …`. */
  backendMain: string;
  /** Hash of what the install depends on, written after a successful install (skip when unchanged). */
  installStamp: string;
  /** The same hash, written after a successful `theia build` (skip when unchanged). */
  buildStamp: string;
}

/** SOCKETPROOF_THEIA_APP points at another built app (a Theia built elsewhere). */
export function theiaAppPaths(dir = process.env.SOCKETPROOF_THEIA_APP ?? path.join(projectRoot, 'theia-app')): TheiaAppPaths {
  return {
    dir,
    packageJson: path.join(dir, 'package.json'),
    lockfile: path.join(dir, 'package-lock.json'),
    nodeModules: path.join(dir, 'node_modules'),
    backendMain: path.join(dir, 'lib/backend/main.js'),
    installStamp: path.join(dir, 'node_modules/.socketproof-install-stamp'),
    buildStamp: path.join(dir, 'lib/.socketproof-build-stamp'),
  };
}

/** The backend entry point, or one line saying how to get it. */
export function requireBuiltTheia(paths = theiaAppPaths()): string {
  if (!existsSync(paths.backendMain)) {
    throw new Error(`real Theia is not built (no ${path.relative(process.cwd(), paths.backendMain)}): run ${THEIA_BUILD_COMMAND}`);
  }
  return paths.backendMain;
}
