/**
 * The nightly workflow's smoke step, as one script: .github/workflows/nightly.yml runs it (`npm run nightly --
 * <target>`) and tests/self/nightly-workflow.spec.ts runs that same step, with the same environment, against a local
 * deployment, so the workflow and its test cannot drift apart. The repository secrets come in as environment
 * variables of their own names (GitHub hands an unset secret over as ""), and are mapped to what the suite reads:
 *   THEIA_URL              → SOCKETPROOF_PRODUCTION_URL (needed: without it there is nothing to test)
 *   THEIA_AUTHORIZATION    → SOCKETPROOF_PRODUCTION_AUTHORIZATION (optional: empty = the header is not sent)
 *   PRODUCTION_KUBECONFIG  → a file only this user can read, KUBECONFIG naming it, and SOCKETPROOF_REQUIRE_CLUSTER=1,
 *                            so a stored secret that fails to reach the run fails it rather than skipping the cluster
 *                            checks (optional: empty = the cluster checks are not run, and the report says so)
 * Then `npm run smoke -- <target>`; its exit code is this script's (0 green, 1 a check failed, 2 bad input). The
 * secrets' own variables are not passed on, and the kubeconfig file is deleted when the run ends.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { REQUIRE_CLUSTER_VARIABLE } from '../src/cluster/target-access';
import { projectRoot } from '../src/paths';

const secrets = ['THEIA_URL', 'THEIA_AUTHORIZATION', 'PRODUCTION_KUBECONFIG'] as const;
const target = process.argv[2] || 'production';
const given = (name: (typeof secrets)[number]) => Boolean(process.env[name]);

if (!given('THEIA_URL')) {
  console.error('nightly: the THEIA_URL secret is empty or unset: set it to the base URL of production (repository → Settings → Secrets and variables → Actions)');
  process.exit(2);
}
// Names only, never values: which optional secrets this run has.
console.log(`nightly: secrets set: ${secrets.filter(given).join(', ')}; empty or unset: ${secrets.filter((s) => !given(s)).join(', ') || 'none'}`);

const env: NodeJS.ProcessEnv = { ...process.env, SOCKETPROOF_PRODUCTION_URL: process.env.THEIA_URL };
for (const name of secrets) delete env[name];
if (given('THEIA_AUTHORIZATION')) env.SOCKETPROOF_PRODUCTION_AUTHORIZATION = process.env.THEIA_AUTHORIZATION;

// RUNNER_TEMP is emptied by the runner after every job; elsewhere the OS's temp dir, and our own cleanup below.
const dir = given('PRODUCTION_KUBECONFIG') ? mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), 'socketproof-nightly-')) : undefined;
const cleanup = () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}
if (dir) {
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, process.env.PRODUCTION_KUBECONFIG as string, { mode: 0o600 });
  env.KUBECONFIG = file;
  env[REQUIRE_CLUSTER_VARIABLE] = '1';
}

try {
  const run = await $({ nothrow: true, stdio: 'inherit', cwd: projectRoot, env })`npm run smoke -- ${target}`;
  process.exitCode = run.exitCode ?? 1;
} finally {
  cleanup();
}
