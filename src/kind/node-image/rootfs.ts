/**
 * The two Debian root filesystems the kind node image is made of (debootstrap.ts, no registry):
 * - the node itself: what kind's base image installs (sigs.k8s.io/kind v0.33.0 images/base/Dockerfile: systemd,
 *   conntrack, iptables, nftables, iproute2, ethtool, mount, kmod, libseccomp2, pigz, bash, ca-certificates, jq,
 *   procps) plus what kind builds from source there, taken from Debian instead: containerd 1.6, runc, and the CNI
 *   plugins (containernetworking-plugins: bridge, ptp, host-local, loopback, portmap);
 * - the component images' base (kube-apiserver, controller-manager, scheduler, kube-proxy, etcd, crictl's pause):
 *   a minimal bookworm with iptables and conntrack, because kube-proxy's iptables mode shells out to them (upstream
 *   uses distroless-iptables for the same reason). The binaries are dynamically linked against glibc.
 */
import { type RootfsRecipe, STANDARD_TRIM } from '../debootstrap';

export const NODE_ROOTFS: RootfsRecipe = {
  prefix: 'node-rootfs',
  purpose: 'the kind node image',
  suite: 'bookworm',
  packages: [
    'systemd',
    'systemd-sysv',
    'dbus',
    'containerd',
    'runc',
    'containernetworking-plugins',
    'conntrack',
    'iptables',
    'nftables',
    'iproute2',
    'ethtool',
    'socat',
    'mount',
    'kmod',
    'libseccomp2',
    'pigz',
    'bash',
    'ca-certificates',
    'jq',
    'procps',
    'e2fsprogs',
  ],
  trim: STANDARD_TRIM,
  version: 1,
};

export const COMPONENT_ROOTFS: RootfsRecipe = {
  prefix: 'kube-component-rootfs',
  purpose: "the Kubernetes component images' base",
  suite: 'bookworm',
  packages: ['iptables', 'conntrack', 'ipset', 'nftables', 'ca-certificates'],
  trim: STANDARD_TRIM,
  version: 1,
};
