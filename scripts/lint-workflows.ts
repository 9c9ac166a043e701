/**
 * Lints the GitHub Actions workflows with actionlint, built from the Go module proxy into .cache/bin the first
 * time (no binary download). Part of `npm test`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { projectRoot } from '../src/paths';

const version = 'v1.7.12';
const bin = path.join(projectRoot, '.cache/bin');
const actionlint = path.join(bin, 'actionlint');

if (!existsSync(actionlint)) {
  const go = await $({ nothrow: true, quiet: true })`go version`;
  if (go.exitCode !== 0) {
    console.error('lint-workflows: Go is needed to build actionlint (apt-get install golang, or put actionlint on PATH in .cache/bin)');
    process.exit(2);
  }
  console.log(`lint-workflows: building actionlint ${version} into .cache/bin …`);
  await $({ env: { ...process.env, GOBIN: bin }, quiet: true })`go install github.com/rhysd/actionlint/cmd/actionlint@${version}`;
}
const run = await $({ nothrow: true, cwd: projectRoot })`${actionlint} -no-color -oneline`;
if (run.exitCode === 0) console.log('lint-workflows: .github/workflows is valid (actionlint)');
process.exit(run.exitCode ?? 1);
