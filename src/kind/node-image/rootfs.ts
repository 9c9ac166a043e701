/**
 * The one Debian root filesystem the kind node image is made of (debootstrap.ts, no registry): what kind's base
 * image installs (sigs.k8s.io/kind v0.33.0 images/base/Dockerfile: systemd, conntrack, iptables, nftables, iproute2,
 * ethtool, mount, kmod, libseccomp2, pigz, bash, ca-certificates, jq, procps) plus what kind builds from source
 * there, taken from Debian instead: containerd 1.6, runc, and the CNI plugins (containernetworking-plugins: bridge,
 * ptp, host-local, loopback, portmap). It is also the base of the component images (component-images.ts):
 * kube-proxy's iptables mode shells out to iptables and conntrack (upstream uses distroless-iptables for the same
 * reason), and the binaries are dynamically linked against glibc. One debootstrap instead of two.
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
