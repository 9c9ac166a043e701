/**
 * A real, local Kubernetes control plane (kube-apiserver + etcd) for tests.
 *
 * The binaries are built from the published Go modules by the small Go module in
 * tools/control-plane/ (see docs/control-plane.md) into .cache/control-plane/bin/, or taken
 * from $KUBEBUILDER_ASSETS. startControlPlane() runs both on loopback with fresh credentials
 * (a CA, a serving cert, a service-account key, a static token file with an admin and a
 * restricted user) and writes two kubeconfigs. No controller manager, scheduler or kubelet
 * runs: objects are stored and validated, nothing reconciles them.
 *
 * The code is in control-plane/, one job per file; this is its public face, so importers use
 * one path:
 *   versions.ts     pinned versions, user/context names, BUILD_COMMAND
 *   types.ts        ControlPlane, StartOptions, ControlPlaneState
 *   binaries.ts     the cache layout, where kube-apiserver and etcd are ($KUBEBUILDER_ASSETS or built)
 *   build.ts        building them (source hash, progress)
 *   start.ts        startControlPlane(): the steps below in order, and stop()
 *   credentials.ts  CA, serving cert, service-account key, token file
 *   servers.ts      etcd's and kube-apiserver's flags, waiting for /health and /readyz
 *   rbac.ts         the aggregated view/edit/admin ClusterRoles, the restricted user's binding
 *   kubeconfig.ts   the admin and restricted kubeconfigs
 *   processes.ts    free ports, /proc checks, ending process groups, kill on exit
 *   logs.ts         the run's logs and a failed start's report
 *   http.ts         HTTP(S) requests before a kubeconfig exists, readyz()
 *   state.ts        state.json of recorded runs: list, stop, delete the run dir
 */
export { type BuildResult, buildControlPlane, controlPlaneSourceHash } from './control-plane/build';
export { controlPlaneBinaries, controlPlanePaths } from './control-plane/binaries';
export { readyz } from './control-plane/http';
export { pidAlive } from '../os/process';
export { startControlPlane } from './control-plane/start';
export { listControlPlanes, stopControlPlaneState } from './control-plane/state';
export type { ControlPlane, ControlPlaneState, StartOptions } from './control-plane/types';
export {
  ADMIN_CONTEXT,
  ADMIN_USER,
  BUILD_COMMAND,
  ETCD_VERSION,
  KUBE_VERSION,
  RESTRICTED_CONTEXT,
  RESTRICTED_USER,
} from './control-plane/versions';
