/** The pinned versions and the fixed names the local control plane uses. */

/** Versions pinned by tools/control-plane/go.mod. */
export const KUBE_VERSION = 'v1.34.12';
export const ETCD_VERSION = 'v3.6.4';
/** The command that builds the binaries (quoted in skip messages and errors). */
export const BUILD_COMMAND = 'npx tsx scripts/control-plane.ts build';

export const ADMIN_USER = 'socketproof-admin';
export const RESTRICTED_USER = 'socketproof-viewer';
export const ADMIN_CONTEXT = 'socketproof-local-admin';
export const RESTRICTED_CONTEXT = 'socketproof-local-restricted';
