/**
 * Builds the kind CLI from the Go module proxy into .cache/bin/kind (src/kind/cluster/kind-binary.ts).
 *
 *   npx tsx scripts/build-kind.ts [--force]     (npm run kind:build)
 */
import { buildKind } from '../src/kind/cluster/kind-binary';
import { PrerequisiteError } from '../src/kind/prerequisites';

try {
  const r = await buildKind({ force: process.argv.includes('--force'), onProgress: (m) => console.log(`[kind] ${m}`) });
  console.log(`[kind] ${r.skipped ? 'up to date' : `built in ${(r.ms / 1000).toFixed(1)} s`}: ${r.bin} (${r.version})`);
} catch (err) {
  console.error(err instanceof PrerequisiteError ? err.message : `build-kind: ${(err as Error).message}`);
  process.exitCode = 1;
}
