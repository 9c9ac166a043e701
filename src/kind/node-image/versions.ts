/**
 * What the kind node image holds, named exactly as kubeadm v1.34.12 expects them
 * (k8s.io/kubernetes@v1.34.12 cmd/kubeadm/app/constants/constants.go: PauseVersion, DefaultEtcdVersion,
 * CoreDNSVersion), so `kubeadm init` inside the node finds every image already in containerd and pulls nothing.
 */
import { KUBE_VERSION } from '../../k8s/control-plane/versions';

export { KUBE_VERSION };
/** The node image this project builds (`npm run kind:node-image`) and uses when kindest/node cannot be pulled. */
export const NODE_IMAGE = `socketproof/kind-node:${KUBE_VERSION}`;
export const REGISTRY = 'registry.k8s.io';
export const PAUSE_VERSION = '3.10.1';
export const ETCD_IMAGE_TAG = '3.6.5-0';
export const ETCD_MODULE_VERSION = 'v3.6.5';
export const CRICTL_VERSION = 'v1.34.0';
/** kubeadm's CoreDNS: not built (the module proxy serves github.com/coredns/coredns only from v1.14.3). */
export const COREDNS_IMAGE = `${REGISTRY}/coredns/coredns:v1.12.1`;
/** kind's own module, whose images/base/files/ the node image is made from (the kind binary the project builds). */
export const KIND_MODULE = 'sigs.k8s.io/kind@v0.33.0';
export const KUBERNETES_MODULE = `k8s.io/kubernetes@${KUBE_VERSION}`;

/** The Kubernetes binaries built from tools/kind-node (go.mod tool directives), installed in the node's /usr/bin. */
export const NODE_BINARIES = ['kubelet', 'kubeadm', 'kubectl'] as const;
/** Built from tools/kind-node too; each becomes a component image. */
export const COMPONENT_BINARIES = ['kube-controller-manager', 'kube-scheduler', 'kube-proxy'] as const;

export interface ComponentImage {
  /** The image reference kubeadm (or containerd, for pause) asks for. */
  ref: string;
  /** Binary file name in the bin directory, copied to the image's /usr/local/bin (pause: /pause). */
  binary: string;
  entrypoint: string[];
}

export function componentImages(): ComponentImage[] {
  const k = (name: string): ComponentImage => ({
    ref: `${REGISTRY}/${name}:${KUBE_VERSION}`,
    binary: name,
    entrypoint: [`/usr/local/bin/${name}`],
  });
  return [
    k('kube-apiserver'),
    k('kube-controller-manager'),
    k('kube-scheduler'),
    k('kube-proxy'),
    { ref: `${REGISTRY}/etcd:${ETCD_IMAGE_TAG}`, binary: 'etcd', entrypoint: ['/usr/local/bin/etcd'] },
    { ref: `${REGISTRY}/pause:${PAUSE_VERSION}`, binary: 'pause', entrypoint: ['/pause'] },
  ];
}

/** -X flags so every binary reports v1.34.12 (kubeadm derives image tags from its own version). */
export const KUBE_LDFLAGS = [
  `-X k8s.io/component-base/version.gitVersion=${KUBE_VERSION}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  '-X k8s.io/component-base/version.gitMinor=34',
  '-X k8s.io/component-base/version.gitTreeState=clean',
].join(' ');
