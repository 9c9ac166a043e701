/**
 * Builds the kind CLI from the Go module proxy (`go install sigs.k8s.io/kind@<version>`) into .cache/bin: no
 * release download is needed, only Go and the module proxy. A binary that already reports the version is kept.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { $ } from 'zx';
import { tail } from '../docker-engine/cli';
import { PrerequisiteError } from '../prerequisites';
import { KIND_VERSION, kindBinaryPath } from '../settings';

export function goBinary(env = process.env): string | undefined {
  const candidates = [env.GO, ...(env.PATH ?? '').split(':').map((d) => path.join(d, 'go')), '/usr/local/go/bin/go'];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
}

export async function kindVersion(bin: string): Promise<string | undefined> {
  const out = await $({ nothrow: true, quiet: true })`${bin} version`;
  return out.exitCode === 0 ? out.stdout.trim() : undefined;
}

export async function buildKind(opts: { force?: boolean; onProgress?: (m: string) => void } = {}) {
  const bin = kindBinaryPath();
  const t0 = performance.now();
  const have = existsSync(bin) ? await kindVersion(bin) : undefined;
  if (!opts.force && have?.includes(`kind ${KIND_VERSION} `)) return { bin, skipped: true, ms: performance.now() - t0, version: have };
  const go = goBinary();
  if (!go) {
    throw new PrerequisiteError(
      'go',
      'no Go toolchain to build kind from the module proxy.',
      'install Go (https://go.dev/dl/; Debian: apt-get install golang), or install a kind release binary and set SOCKETPROOF_KIND.',
    );
  }
  opts.onProgress?.(`go install sigs.k8s.io/kind@${KIND_VERSION} → ${path.dirname(bin)}`);
  // nice: the machines are shared with other suites; a cold build is ~40 s on 2 cores.
  const out = await $({ nothrow: true, quiet: true, env: { ...process.env, GOBIN: path.dirname(bin), CGO_ENABLED: '0' } })`nice -n 19 ${go} install ${`sigs.k8s.io/kind@${KIND_VERSION}`}`;
  if (out.exitCode !== 0) {
    throw new PrerequisiteError(
      'kind',
      `go install sigs.k8s.io/kind@${KIND_VERSION} failed (${tail(out.stderr, 2)}).`,
      'check that the Go module proxy is reachable (GOPROXY), or install a kind release binary and set SOCKETPROOF_KIND.',
    );
  }
  return { bin, skipped: false, ms: performance.now() - t0, version: (await kindVersion(bin)) ?? '?' };
}
