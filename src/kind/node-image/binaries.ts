/**
 * Every binary the node image holds, built here from the module proxy (nothing downloaded from a release page):
 * - kubelet, kubeadm, kubectl, kube-proxy, kube-scheduler, kube-controller-manager: k8s.io/kubernetes v1.34.12's
 *   own main packages, as go.mod tools of tools/kind-node;
 * - kube-apiserver: the local control plane's build (tools/control-plane, same module version and ldflags);
 * - etcd v3.6.5 (kubeadm 1.34.12's DefaultEtcdVersion): tools/kind-etcd;
 * - crictl (kind's `kind load` asks it whether an image is present): sigs.k8s.io/cri-tools, `go install`;
 * - pause: k8s.io/kubernetes build/pause/linux/pause.c with upstream's CFLAGS (build/pause/Makefile), gcc -static.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { buildControlPlane } from '../../k8s/control-plane/build';
import { projectRoot } from '../../paths';
import { PrerequisiteError } from '../prerequisites';
import { type GoBuildResult, goBuild, moduleDir, requireGo } from './go-build';
import { COMPONENT_BINARIES, CRICTL_VERSION, KUBE_LDFLAGS, KUBERNETES_MODULE, NODE_BINARIES, PAUSE_VERSION } from './versions';

export function nodeBinDir(root = projectRoot): string {
  return path.join(root, '.cache', 'kind-node', 'bin');
}

/** Runs one named build step; a result with `skipped: true` is reported as cached. */
export type Step = (name: string, fn: () => Promise<unknown>) => Promise<void>;

/** Builds what is missing or stale, one step each; returns the bin directory holding all of them. */
export async function ensureNodeBinaries(step: Step, onProgress: (m: string) => void, root = projectRoot): Promise<string> {
  const bin = nodeBinDir(root);
  mkdirSync(bin, { recursive: true });
  const kube = [...NODE_BINARIES, ...COMPONENT_BINARIES];
  await step('kubernetes binaries', (): Promise<GoBuildResult> =>
    goBuild(
      {
        name: 'kubernetes',
        module: path.join(root, 'tools', 'kind-node'),
        packages: kube.map((b) => `k8s.io/kubernetes/cmd/${b}`),
        outDir: bin,
        outputs: kube,
        // -s -w as upstream's release builds (hack/lib/golang.sh): no symbol table or DWARF, about a third smaller.
        ldflags: `-s -w ${KUBE_LDFLAGS}`,
      },
      onProgress,
    ),
  );
  await step('kube-apiserver (control-plane build)', async () => {
    const r = await buildControlPlane(onProgress, { root });
    // A copy, not a link: the control plane's cache can be rebuilt while an image build reads this one.
    copyFileSync(r.apiserver, path.join(bin, 'kube-apiserver'));
    return r;
  });
  await step('etcd', () =>
    goBuild({ name: 'etcd', module: path.join(root, 'tools', 'kind-etcd'), packages: ['./cmd/etcd'], outDir: bin, outputs: ['etcd'], ldflags: '-s -w' }, onProgress),
  );
  await step('crictl', () => installCrictl(bin, onProgress));
  await step('pause', () => buildPause(bin));
  return bin;
}

async function installCrictl(bin: string, onProgress: (m: string) => void): Promise<{ skipped: boolean }> {
  const file = path.join(bin, 'crictl');
  if (existsSync(file)) {
    const v = await $({ quiet: true, nothrow: true })`${file} --version`;
    if (v.stdout.includes(CRICTL_VERSION.replace(/^v/, ''))) return { skipped: true };
  }
  const go = requireGo();
  onProgress(`go install sigs.k8s.io/cri-tools/cmd/crictl@${CRICTL_VERSION}`);
  const out = await $({
    quiet: true,
    nothrow: true,
    env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0', GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
  })`nice -n 10 ${go} install -trimpath ${`-ldflags=-X sigs.k8s.io/cri-tools/pkg/version.Version=${CRICTL_VERSION}`} ${`sigs.k8s.io/cri-tools/cmd/crictl@${CRICTL_VERSION}`}`;
  if (out.exitCode !== 0) throw new PrerequisiteError('go', `go install crictl failed (${out.stderr.trim().split('\n').slice(-2).join(' | ')}).`, 'check that the Go module proxy is reachable.');
  return { skipped: false };
}

/** Upstream's pause, compiled as build/pause/Makefile does (CFLAGS = -Os -Wall -Werror -static -DVERSION=…). */
async function buildPause(bin: string): Promise<{ skipped: boolean }> {
  const src = path.join(await moduleDir(KUBERNETES_MODULE), 'build', 'pause', 'linux', 'pause.c');
  const flags = ['-Os', '-Wall', '-Werror', '-static', `-DVERSION=v${PAUSE_VERSION}-socketproof`];
  const hash = createHash('sha256').update(readFileSync(src)).update(flags.join(' ')).digest('hex');
  const out = path.join(bin, 'pause');
  const hashFile = `${out}.sha256`;
  if (existsSync(out) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) return { skipped: true };
  const cc = await $({ quiet: true, nothrow: true })`gcc ${flags} -o ${out} ${src}`;
  if (cc.exitCode !== 0) {
    throw new PrerequisiteError('gcc', `compiling the pause container failed (${cc.stderr.trim().split('\n').slice(-2).join(' | ')}).`, 'apt-get install -y gcc libc6-dev');
  }
  writeFileSync(hashFile, `${hash}\n`);
  return { skipped: false };
}
