/**
 * Installs and builds the real Theia browser app in theia-app/ (src/theia/build.ts), offline-safe, skipped when its
 * lockfile, package.json and Node version are unchanged.
 *
 *   npm run theia:build [-- --force]
 *
 * Exit codes: 0 built or up to date, 2 a missing prerequisite (one line naming the Debian packages), 1 a failed step.
 */
import { buildTheiaApp, TheiaBuildError } from '../src/theia/build';
import { TheiaPrerequisiteError } from '../src/theia/prerequisites';

try {
  const r = await buildTheiaApp({ force: process.argv.includes('--force') });
  const what = r.installed ? 'installed and built' : r.built ? 'built' : 'up to date';
  console.log(`[theia-build] ${what} in ${(r.ms / 1000).toFixed(1)} s (hash ${r.hash}): ${r.backendMain}`);
} catch (err) {
  if (err instanceof TheiaPrerequisiteError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(err instanceof TheiaBuildError ? err.message : `theia:build: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
