/**
 * Every missing prerequisite of the kind target ends in one message that says what is missing, how to install
 * it, and how to run the same checks without it, never a skip and never a stack trace. A fake `docker` (a shell
 * script) plays the machine states that are hard to arrange for real: a CLI without a daemon, a registry that
 * cannot be reached.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';
import { explainCreateFailure, KindError } from '../../src/kind/cluster/kind-cluster';
import {
  LOCAL_ALTERNATIVE,
  PrerequisiteError,
  requireDaemon,
  requireKind,
  requireNodeImage,
} from '../../src/kind/prerequisites';
import { projectRoot } from '../../src/paths';

/** A docker CLI that answers --version and fails the way a machine without a daemon or a registry does. */
function fakeDocker(mode: 'no-daemon' | 'no-registry'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-fake-docker-'));
  const file = path.join(dir, 'docker');
  writeFileSync(
    file,
    `#!/bin/sh
case "$1" in
  --version) echo "Docker version 20.10.24 (fake)"; exit 0 ;;
  version) ${mode === 'no-daemon' ? 'echo "Cannot connect to the Docker daemon at unix:///nowhere.sock. Is the docker daemon running?" >&2; exit 1' : 'echo 20.10.24; exit 0'} ;;
  image) echo "Error: No such image" >&2; exit 1 ;;
  pull) echo 'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host' >&2; exit 1 ;;
esac
exit 1
`,
  );
  chmodSync(file, 0o755);
  return file;
}

async function failure(p: Promise<unknown>): Promise<PrerequisiteError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the prerequisite check passed where it must fail').toBeInstanceOf(PrerequisiteError);
  const e = err as PrerequisiteError;
  expect(e.message).toContain(LOCAL_ALTERNATIVE);
  expect(e.message).not.toMatch(/^\s+at /m);
  return e;
}

test.describe('kind prerequisites', { tag: '@containers' }, () => {
  test('no docker command: install Docker', async () => {
    const e = await failure(requireDaemon({ bin: '/nonexistent/docker' }));
    expect(e.missing).toBe('docker');
    expect(e.message).toContain('apt-get install docker.io');
  });

  test('no daemon: start one, or the private engine', async () => {
    const e = await failure(requireDaemon({ bin: fakeDocker('no-daemon'), host: 'unix:///nowhere.sock' }));
    expect(e.missing).toBe('daemon');
    expect(e.message).toContain('no Docker daemon answers at unix:///nowhere.sock');
    expect(e.message).toContain('npm run docker:start');
  });

  test('no kind binary: build it from the module proxy or install it', async () => {
    const e = await failure(requireKind({ SOCKETPROOF_KIND: '/nonexistent/kind', PATH: '' }));
    expect(e.missing).toBe('kind');
    expect(e.message).toContain('npm run kind:build');
  });

  test('no node image and no registry: load one, select it, or use the local target', async () => {
    const image = 'kindest/node:v1.34.0';
    const e = await failure(requireNodeImage({ bin: fakeDocker('no-registry') }, image));
    expect(e.missing).toBe('node-image');
    expect(e.message).toContain(`${image} is not on this Docker engine and cannot be pulled`);
    expect(e.message).toContain('no such host');
    expect(e.message).toContain('SOCKETPROOF_KIND_NODE_IMAGE=');
  });

  // Without DOCKER_HOST the kind target starts the project's own engine, so "no daemon" is a DOCKER_HOST nobody serves.
  test('kind-up without a daemon: exit 1 with the message, nothing else', async () => {
    const env = { ...process.env, SOCKETPROOF_DOCKER: fakeDocker('no-daemon'), DOCKER_HOST: 'unix:///nonexistent/socketproof-docker.sock' };
    const out = await $({ cwd: projectRoot, nothrow: true, quiet: true, env })`npx tsx scripts/kind-up.ts`;
    expect(out.exitCode).toBe(1);
    expect(out.stderr.trim().split('\n')[0]).toMatch(/^kind target: no Docker daemon answers at /);
    expect(out.stderr).toContain(LOCAL_ALTERNATIVE);
    expect(out.stderr).not.toMatch(/^\s+at /m);
    expect(out.stdout).not.toContain('kind create cluster');
  });

  test("kind's other failures: ports in use is a prerequisite, anything else keeps kind's words", async () => {
    const ctx = { docker: { bin: '/nonexistent/docker' }, kind: 'kind', name: 'socketproof-x', image: 'img' };
    const ports = await explainCreateFailure(ctx, 'ERROR: failed to create cluster: ... Bind for 127.0.0.1:38080 failed: port is already allocated');
    expect(ports).toBeInstanceOf(PrerequisiteError);
    expect(ports.message).toContain('127.0.0.1:38080');
    const other = await explainCreateFailure(ctx, 'ERROR: failed to create cluster: failed to init node with kubeadm');
    expect(other).toBeInstanceOf(KindError);
    expect(other.message).toContain('failed to init node with kubeadm');
    expect(other.message).toContain('kind export logs');
  });
});
