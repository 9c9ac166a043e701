/**
 * `go build` of one of the project's Go modules into a bin directory, skipped when the hash recorded beside the
 * binaries still matches what decides them (go.mod, go.sum, the sources, the flags, the Go version). Runs under
 * nice (the machines are shared) and reports a line every 15 s. GOFLAGS from the environment are honoured, so
 * `GOFLAGS=-p=1` keeps a cold build on one core.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { $ } from 'zx';
import { goBinary } from '../cluster/kind-binary';
import { PrerequisiteError } from '../prerequisites';

export interface GoBuild {
  /** Shown in progress lines and in the hash file's name. */
  name: string;
  /** The module directory (holds go.mod). */
  module: string;
  /** Package paths to build (main packages; a dependency's main is fine when go.mod names it as a tool). */
  packages: string[];
  outDir: string;
  /** Binary names expected in outDir afterwards. */
  outputs: string[];
  ldflags?: string;
  env?: Record<string, string>;
}

export interface GoBuildResult {
  skipped: boolean;
  ms: number;
  packages: number;
}

export function requireGo(): string {
  const go = goBinary();
  if (!go) {
    throw new PrerequisiteError(
      'go',
      'no Go toolchain to build the kind node image from the module proxy.',
      'install Go (https://go.dev/dl/) at /usr/local/go or on PATH, or set $GO.',
    );
  }
  return go;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const abs = path.join(dir, e);
    if (statSync(abs).isDirectory()) out.push(...filesUnder(abs));
    else out.push(abs);
  }
  return out;
}

export async function goBuildHash(b: GoBuild, go = requireGo()): Promise<string> {
  const h = createHash('sha256');
  for (const f of filesUnder(b.module)) {
    h.update(`${path.relative(b.module, f)}\0`);
    h.update(readFileSync(f));
  }
  const version = await $({ quiet: true })`${go} version`;
  h.update(JSON.stringify({ packages: b.packages, ldflags: b.ldflags ?? '', env: b.env ?? {}, go: version.stdout.trim() }));
  return h.digest('hex');
}

export async function goBuild(b: GoBuild, onProgress: (m: string) => void = () => {}): Promise<GoBuildResult> {
  const t0 = performance.now();
  const go = requireGo();
  const hash = await goBuildHash(b, go);
  const hashFile = path.join(b.outDir, `${b.name}.sha256`);
  const recorded = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : '';
  if (recorded === hash && b.outputs.every((o) => existsSync(path.join(b.outDir, o)))) {
    return { skipped: true, ms: performance.now() - t0, packages: 0 };
  }
  mkdirSync(b.outDir, { recursive: true });
  onProgress(`go build ${b.outputs.join(', ')} (${path.basename(b.module)}, nice -n 10)`);
  let packages = 0;
  let last = '';
  const timer = setInterval(() => {
    const s = Math.round((performance.now() - t0) / 1000);
    onProgress(`  ... ${s} s: ${packages} packages compiled${last ? ` (last: ${last})` : ''}`);
  }, 15_000);
  try {
    const env = { ...process.env, ...b.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() };
    const sh = $({ cwd: b.module, quiet: true, nothrow: true, env });
    const dl = await sh`nice -n 10 ${go} mod download`;
    if (dl.exitCode !== 0) throw new PrerequisiteError('go', `go mod download in ${b.module} failed: ${dl.stderr.trim().split('\n').slice(-3).join(' | ')}`, 'check that the Go module proxy (GOPROXY) is reachable.');
    const proc = sh`nice -n 10 ${go} build -v -trimpath -ldflags ${b.ldflags ?? ''} -o ${`${b.outDir}/`} ${b.packages}`;
    let tailText = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      tailText = (tailText + chunk.toString()).slice(-8000);
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() && !line.startsWith('#') && !line.includes(' ')) {
          packages++;
          last = line.trim();
        }
      }
    });
    const out = await proc;
    if (out.exitCode !== 0) throw new Error(`go build (${b.name}) failed, exit ${out.exitCode}:\n${tailText.split('\n').slice(-30).join('\n')}`);
  } finally {
    clearInterval(timer);
  }
  writeFileSync(hashFile, `${hash}\n`);
  return { skipped: false, ms: performance.now() - t0, packages };
}

/** The directory of a module version in the module cache (downloaded first when missing). */
export async function moduleDir(modAtVersion: string): Promise<string> {
  const go = requireGo();
  const out = await $({ quiet: true, nothrow: true })`${go} mod download -json ${modAtVersion}`;
  const info = JSON.parse(out.stdout || '{}') as { Dir?: string; Error?: string };
  if (out.exitCode !== 0 || !info.Dir) {
    throw new PrerequisiteError('go', `go mod download ${modAtVersion} failed (${info.Error ?? out.stderr.trim()}).`, 'check that the Go module proxy (GOPROXY) is reachable.');
  }
  return info.Dir;
}
