/**
 * `npm run theia:build`: a missing prerequisite is one line naming what to install (exit 2), and an app whose
 * package.json, lockfile and Node version are unchanged is neither reinstalled nor rebuilt.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { appHash, buildTheiaApp } from '../../src/theia/build';
import { theiaAppPaths } from '../../src/theia/paths';

test('a machine without compiler, make or pkg-config gets one line naming the Debian packages, exit 2', async () => {
  // Only node itself on PATH: every tool the build needs is "missing".
  const bin = mkdtempSync(path.join(tmpdir(), 'socketproof-nopath-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/theia-build.ts'], {
    encoding: 'utf8',
    env: { PATH: bin, HOME: process.env.HOME ?? '/root' },
  });
  expect(run.status).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^theia:build: missing prerequisites: /);
  for (const name of ['g++', 'make', 'pkg-config', 'node-gyp']) expect(lines[0]).toContain(name);
});

test('an unchanged app (same lockfile, package.json, Node) is not reinstalled or rebuilt', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-theia-app-'));
  const paths = theiaAppPaths(dir);
  writeFileSync(paths.packageJson, '{"name":"x"}');
  writeFileSync(paths.lockfile, '{"lockfileVersion":3}');
  mkdirSync(path.dirname(paths.backendMain), { recursive: true });
  mkdirSync(paths.nodeModules, { recursive: true });
  writeFileSync(paths.backendMain, '');
  const hash = appHash(paths);
  writeFileSync(paths.installStamp, `${hash}\n`);
  writeFileSync(paths.buildStamp, `${hash}\n`);
  const said: string[] = [];
  const r = await buildTheiaApp({ paths, say: (l) => said.push(l) });
  expect(r).toMatchObject({ installed: false, built: false, hash });
  expect(said.join('\n')).toContain('up to date');

  // A changed lockfile is a new hash: the install stamp no longer matches (not run here: it would npm ci).
  writeFileSync(paths.lockfile, '{"lockfileVersion":3,"packages":{}}');
  expect(appHash(paths)).not.toBe(hash);
});
