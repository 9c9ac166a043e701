/**
 * The node image's own layer, staged as a Docker build context: kind's base-image files taken from the kind module
 * the project builds (sigs.k8s.io/kind v0.33.0 images/base/files/: entrypoint, clean-install, the systemd units
 * for containerd and kubelet, kubeadm's kubelet drop-in, sysctls, /kind/bin hooks), adapted where Debian's packages
 * differ from what kind builds from source, plus the Kubernetes binaries and this project's CNI. The Dockerfile's
 * RUN is kind's images/base/Dockerfile `RUN` steps (service trimming, enabling kubelet/containerd, cri-base.json).
 */
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runcWrapperScript } from '../docker-engine/dockerd-files';
import { COREDNS_IMAGE, KUBE_VERSION, NODE_BINARIES, PAUSE_VERSION, REGISTRY } from './versions';

/** The single node's pod range: kind's default podSubnet 10.244.0.0/16, whose first /24 kube-controller-manager gives node 1. */
export const POD_CIDR = '10.244.0.0/24';

/**
 * bridge + host-local (Debian's containernetworking-plugins): enough for one node, where every pod is on the
 * node's bridge. hairpinMode lets a pod reach itself through a Service (kube-proxy's DNAT back to the same pod).
 * ipMasq for traffic leaving the node; portmap for hostPort. kind's default CNI (kindnetd) is a separate module the
 * proxy may not serve and is not needed for one node.
 */
export function cniConflist(): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'socketproof-bridge',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

/**
 * kind applies /kind/manifests/default-cni.yaml unless the cluster config disables the default CNI. The image's CNI
 * is the conflist above (no pods needed), so its "manifest" is one ConfigMap saying so: kind/cluster.yaml then works
 * unchanged with this image and with kindest/node (whose manifest is kindnetd).
 */
export const DEFAULT_CNI_MANIFEST = `# socketproof/kind-node: the node's CNI is the bridge conflist in /etc/cni/net.d (no CNI pods). kind applies this
# file as its "default CNI"; it only records that.
apiVersion: v1
kind: ConfigMap
metadata:
  name: socketproof-node-cni
  namespace: kube-system
data:
  cni: bridge + host-local (Debian containernetworking-plugins), /etc/cni/net.d/10-socketproof-bridge.conflist
  podCIDR: ${POD_CIDR}
`;

/** kind's own fallback StorageClass (pkg/cluster/internal/create/actions/installstorage), written so kind does not warn. */
export const DEFAULT_STORAGE_MANIFEST = `# host-path based default storage class (kind's fallback; no local-path-provisioner image in this node image)
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  namespace: kube-system
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/host-path
`;

/**
 * kind's containerd config, with three changes: no fuse-overlayfs proxy plugin (kind builds that snapshotter from
 * source; it is only for rootless); the sandbox image kubeadm 1.34 names (kind's build rewrites it the same way); and
 * restrict_oom_score_adj = true, as kind sets for rootless nodes: the kubelet asks for oom_score_adj -998 for static
 * pods, lowering it needs CAP_SYS_RESOURCE, which this machine cannot grant, and runc's init then dies with "failed to
 * update /proc/self/oom_score_adj: Permission denied" ("can't get final child's PID from pipe: EOF" in the kubelet's
 * log). Restricted, containerd never asks for less than its own score (0 here).
 */
export function containerdConfig(kindConfig: string): string {
  const lines = kindConfig.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^\[proxy_plugins/.test(line)) skipping = true;
    else if (/^\[/.test(line)) skipping = false;
    if (skipping || /^# fuse-overlayfs/.test(line)) continue;
    out.push(line);
  }
  return out
    .join('\n')
    .replace(/sandbox_image = "[^"]*"/, `sandbox_image = "${REGISTRY}/pause:${PAUSE_VERSION}"`)
    .replace(/restrict_oom_score_adj = false/, 'restrict_oom_score_adj = true');
}

/** Debian installs containerd in /usr/bin; kind's unit starts /usr/local/bin/containerd (a link is made in RUN). */
export const SETUP_SCRIPT = `set -eu
chmod 755 /kind /kind/bin
# kind images/base/Dockerfile: only the units a node needs start under systemd in a container.
find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
rm -f /lib/systemd/system/multi-user.target.wants/*
rm -f /etc/systemd/system/*.wants/*
rm -f /lib/systemd/system/local-fs.target.wants/*
rm -f /lib/systemd/system/sockets.target.wants/*udev*
rm -f /lib/systemd/system/sockets.target.wants/*initctl*
rm -f /lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> /etc/systemd/journald.conf
ln -sf /usr/lib/systemd/systemd /sbin/init
ln -sf /usr/bin/containerd /usr/local/bin/containerd
# containerd's CRI looks for CNI plugins in /opt/cni/bin; Debian installs them in /usr/lib/cni.
mkdir -p /opt/cni && ln -sfn /usr/lib/cni /opt/cni/bin
systemctl enable kubelet.service containerd.service undo-mount-hacks.service
systemctl mask systemd-binfmt.service
mkdir -p /etc/kubernetes/manifests
ctr oci spec \\
  | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \\
  | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json
containerd --version
runc --version | head -1
`;

export function dockerfile(): string {
  return `# Generated by socketproof (src/kind/node-image/node-files.ts): the kind node image's own layer.
ARG BASE
FROM \${BASE}
COPY files/ /
RUN sh /setup.sh && rm /setup.sh
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
`;
}

/** Writes the context into `ctx` (fresh). `kindFiles` is the kind module's images/base/files directory. */
export function stageNodeContext(ctx: string, kindFiles: string, bin: string): void {
  rmSync(ctx, { recursive: true, force: true });
  const files = path.join(ctx, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile());
  // kind's files: everything but the fuse-overlayfs unit (not installed here).
  cpSync(kindFiles, files, { recursive: true, filter: (src) => !src.endsWith('containerd-fuse-overlayfs.service') });
  const modes: Record<string, number> = { 'usr/local/bin': 0o755, 'kind/bin': 0o755 };
  for (const [dir, mode] of Object.entries(modes)) {
    for (const f of readdirNames(path.join(files, dir))) chmodSync(path.join(files, dir, f), mode);
  }
  const toml = path.join(files, 'etc/containerd/config.toml');
  writeFileSync(toml, containerdConfig(readFileSync(toml, 'utf8')));
  mkdirSync(path.join(files, 'usr/bin'), { recursive: true });
  for (const b of NODE_BINARIES) copyFileSync(path.join(bin, b), path.join(files, 'usr/bin', b));
  copyFileSync(path.join(bin, 'crictl'), path.join(files, 'usr/local/bin/crictl'));
  // The same CAP_SYS_RESOURCE workaround as the project's dockerd: kube-proxy's pod is privileged, and the node's
  // runc cannot grant a capability this machine lacks. /usr/local/sbin comes before /usr/sbin on systemd's PATH.
  mkdirSync(path.join(files, 'usr/local/sbin'), { recursive: true });
  writeFileSync(path.join(files, 'usr/local/sbin/runc'), runcWrapperScript('/usr/sbin/runc'), { mode: 0o755 });
  mkdirSync(path.join(files, 'etc/cni/net.d'), { recursive: true });
  writeFileSync(path.join(files, 'etc/cni/net.d/10-socketproof-bridge.conflist'), cniConflist());
  mkdirSync(path.join(files, 'kind/manifests'), { recursive: true });
  writeFileSync(path.join(files, 'kind/manifests/default-cni.yaml'), DEFAULT_CNI_MANIFEST);
  writeFileSync(path.join(files, 'kind/manifests/default-storage.yaml'), DEFAULT_STORAGE_MANIFEST);
  writeFileSync(path.join(files, 'kind/version'), KUBE_VERSION);
  writeFileSync(path.join(files, 'kind/socketproof-images.txt'), `not included (not buildable from the module proxy): ${COREDNS_IMAGE}\n`);
  writeFileSync(path.join(files, 'setup.sh'), SETUP_SCRIPT);
}

function readdirNames(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
