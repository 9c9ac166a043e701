/**
 * The combined pod image: base (imported rootfs, rootfs.ts) + kind/image/Dockerfile over a context staged here:
 * this machine's Node binary, the node_modules the mock Theia needs at run time (tsx, socket.io, the client bundle,
 * xterm), its sources, kind/pod/nginx.conf and the entry point. Tagged by the hash of that context, so an unchanged
 * project is not rebuilt and kind pods get a new tag (a rollout) exactly when the image changed.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../../paths';
import { type Docker, DockerError, docker, dockerRaw, imageExists, tail } from '../docker-engine/cli';
import { baseHash, ensureBaseTarball, imageCacheDir } from './rootfs';

export const IMAGE_REPO = 'socketproof/theia-pod';
const BASE_REPO = 'socketproof/pod-base';
/** What the mock Theia imports at run time (type-only packages left out). */
const RUNTIME_PACKAGES = ['tsx', 'socket.io', 'socket.io-client', '@xterm/xterm'];
const APP_SOURCES = ['src/topology/mock-theia', 'src/topology/types.ts'];

export interface PodImage {
  ref: string;
  built: boolean;
  timings: Record<string, number>;
}

/** Builds the image on `d` unless its tag is already there. Timings in ms per step, for the report. */
export async function ensurePodImage(d: Docker, onProgress?: (m: string) => void): Promise<PodImage> {
  const timings: Record<string, number> = {};
  const time = async <T>(step: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[step] = Math.round(performance.now() - t0);
    }
  };
  const ctx = await time('stage', () => stageContext(path.join(imageCacheDir, `context-${process.pid}`)));
  try {
    const ref = `${IMAGE_REPO}:${await time('hash', () => hashDir(ctx))}`;
    if (await imageExists(d, ref)) return { ref, built: false, timings };
    const base = `${BASE_REPO}:${baseHash()}`;
    if (!(await imageExists(d, base))) {
      const tar = await time('rootfs', () => ensureBaseTarball(onProgress));
      onProgress?.(`docker import ${path.basename(tar.file)} → ${base}`);
      await time('import', () => docker(d, ['import', tar.file, base], { timeoutMs: 300_000 }));
    }
    onProgress?.(`docker build → ${ref}`);
    const out = await time('build', () => dockerRaw(d, ['build', '--quiet', '--build-arg', `BASE=${base}`, '--tag', ref, ctx], { timeoutMs: 600_000 }));
    if (out.exitCode !== 0) throw new DockerError(`docker build of the pod image failed: ${tail(out.stderr, 4)}`);
    return { ref, built: true, timings };
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The build context, fresh: everything the Dockerfile COPYs and nothing else (it is sent to the daemon whole). */
export function stageContext(ctx: string, root = projectRoot): string {
  rmSync(ctx, { recursive: true, force: true });
  mkdirSync(path.join(ctx, 'app'), { recursive: true });
  copyFileSync(path.join(root, 'kind/image/Dockerfile'), path.join(ctx, 'Dockerfile'));
  copyFileSync(path.join(root, 'kind/image/pod-entrypoint.sh'), path.join(ctx, 'pod-entrypoint.sh'));
  copyFileSync(path.join(root, 'kind/pod/nginx.conf'), path.join(ctx, 'nginx.conf'));
  copyFileSync(process.execPath, path.join(ctx, 'node'));
  // ESM: the sources are `import`/`export` TypeScript, which tsx runs as modules under "type": "module".
  writeFileSync(path.join(ctx, 'app/package.json'), '{ "private": true, "type": "module" }\n');
  for (const src of APP_SOURCES) cpSync(path.join(root, src), path.join(ctx, 'app', src), { recursive: true });
  for (const dir of runtimeClosure(root)) cpSync(path.join(root, dir), path.join(ctx, 'app', dir), { recursive: true });
  return ctx;
}

/** node_modules directories (relative to root) of RUNTIME_PACKAGES and everything they depend on, nested ones kept. */
export function runtimeClosure(root = projectRoot): string[] {
  const seen = new Set<string>();
  const resolve = (name: string, from: string): string | undefined => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (dir === root || path.dirname(dir) === dir) return undefined;
    }
  };
  const walk = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
    for (const name of deps.filter((n) => !n.startsWith('@types/'))) {
      const found = resolve(name, dir); // an optional dependency for another platform is simply absent
      if (found) walk(found);
    }
  };
  for (const name of RUNTIME_PACKAGES) {
    const found = resolve(name, root);
    if (!found) throw new Error(`node_modules/${name} is missing: run npm ci`);
    walk(found);
  }
  // A nested package (a/node_modules/b) is copied with its parent; copying it again would be redundant.
  const dirs = [...seen].map((d) => path.relative(root, d)).sort();
  return dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}/`)));
}

/** sha256 over relative paths, modes and contents, in a stable order. */
export function hashDir(dir: string): string {
  const h = createHash('sha256');
  const visit = (rel: string) => {
    const abs = path.join(dir, rel);
    const st = statSync(abs);
    h.update(`${rel}\0${st.mode}\0`);
    if (st.isDirectory()) for (const e of readdirSync(abs).sort()) visit(path.join(rel, e));
    else h.update(readFileSync(abs));
  };
  visit('.');
  return h.digest('hex').slice(0, 12);
}
