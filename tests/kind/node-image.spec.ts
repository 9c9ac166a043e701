/**
 * The kind node image built here (`npm run kind:node-image`, src/kind/node-image/): built or found up to date on the
 * project's kind engine, then read back — the images kubeadm v1.34.12 asks for are in the node's containerd under
 * exactly those names (CoreDNS excepted, and said), every Kubernetes binary reports v1.34.12, and /kind/version is
 * what kind reads. Runs in the `kind-node-image` project, before the kind cluster is created from the image.
 */
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';
import { docker, dockerRaw } from '../../src/kind/docker-engine/cli';
import { kindEngine, stopKindEngineIfIdle } from '../../src/kind/docker-engine/kind-engine';
import { nodeBinDir } from '../../src/kind/node-image/binaries';
import { ensureNodeImage } from '../../src/kind/node-image/build';
import { COREDNS_IMAGE, KUBE_VERSION, NODE_IMAGE, componentImages } from '../../src/kind/node-image/versions';

test.describe.configure({ mode: 'serial' });

// The kind engine is persistent (a cluster may live on it); one this file started is stopped again when idle.
let startedHere = false;
test.afterAll(async () => {
  if (startedHere) console.log(`[node-image] ${await stopKindEngineIfIdle()}`);
});

test('node image: built from Go modules and Debian packages, cached by its inputs', { tag: '@kind' }, async (
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  {},
  testInfo,
) => {
  const engine = await kindEngine((m) => console.log(`[node-image] ${m}`));
  startedHere ||= engine.started;
  const r = await ensureNodeImage(engine.docker, (m) => console.log(`[node-image] ${m}`));
  testInfo.annotations.push({
    type: 'figures',
    description: `${r.built ? 'built' : 'up to date'} in ${(r.ms / 1000).toFixed(1)} s: ${r.steps.map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s${s.cached ? ' (cached)' : ''}`).join(', ')}`,
  });
  expect(r.image).toBe(NODE_IMAGE);
  // A second call with nothing changed must not rebuild: the inputs label matches.
  const again = await ensureNodeImage(engine.docker);
  expect(again.built).toBe(false);
  expect(again.inputs).toBe(r.inputs);
});

test('node image: containerd holds every image kubeadm v1.34.12 asks for, under its exact name', { tag: '@kind' }, async () => {
  const e = await kindEngine();
  startedHere ||= e.started;
  const d = e.docker;
  const kubeadm = await $({ quiet: true })`${nodeBinDir()}/kubeadm config images list --kubernetes-version ${KUBE_VERSION}`;
  const wanted = kubeadm.stdout.trim().split('\n');
  expect(wanted.filter((i) => i !== COREDNS_IMAGE).sort()).toEqual(componentImages().map((i) => i.ref).sort());
  // containerd started in a throwaway container of the image, as the preload did; its content store is the image's.
  const script = 'containerd >/dev/null 2>&1 & for i in $(seq 100); do ctr version >/dev/null 2>&1 && break; sleep 0.1; done; ctr --namespace=k8s.io images list --quiet';
  const out = await docker(d, ['run', '--rm', '--security-opt', 'seccomp=unconfined', '--entrypoint', 'sh', NODE_IMAGE, '-c', script], { timeoutMs: 120_000 });
  const present = out.split('\n').filter((l) => !l.startsWith('sha256:'));
  for (const img of componentImages()) expect(present, `containerd in ${NODE_IMAGE} lacks ${img.ref}`).toContain(img.ref);
  expect(present, 'CoreDNS is not built (the module proxy serves github.com/coredns/coredns from v1.14.3 only)').not.toContain(COREDNS_IMAGE);
});

test('node image: binaries, /kind/version and the CNI are what kind and kubeadm read', { tag: '@kind' }, async () => {
  const e = await kindEngine();
  startedHere ||= e.started;
  const d = e.docker;
  const script = [
    'cat /kind/version; echo',
    'kubelet --version',
    'kubeadm version -o short',
    'kubectl version --client -o yaml | grep gitVersion',
    'crictl --version',
    'ls /etc/cni/net.d /opt/cni/bin/bridge /opt/cni/bin/host-local /opt/cni/bin/loopback /opt/cni/bin/portmap',
    'grep sandbox_image /etc/containerd/config.toml',
    'systemctl is-enabled kubelet containerd',
  ].join(' && ');
  const out = await dockerRaw(d, ['run', '--rm', '--entrypoint', 'sh', NODE_IMAGE, '-c', script]);
  expect(out.exitCode, out.stderr).toBe(0);
  const lines = out.stdout.trim().split('\n');
  expect(lines[0]).toBe(KUBE_VERSION);
  expect(out.stdout).toContain(`Kubernetes ${KUBE_VERSION}`);
  expect(out.stdout).toContain(`gitVersion: ${KUBE_VERSION}`);
  expect(out.stdout).toContain('10-socketproof-bridge.conflist');
  expect(out.stdout).toContain('sandbox_image = "registry.k8s.io/pause:3.10.1"');
  expect(out.stdout.match(/^enabled$/gm)?.length).toBe(2);
});
