/** The shapes a started control plane is handed out and recorded as. */

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  /** [etcd, kube-apiserver]: each the leader of its own process group. */
  pids: number[];
  /** Wall time of startControlPlane(): ports, credentials, etcd, apiserver /readyz, RBAC binding, kubeconfigs. */
  startMs: number;
  /** Run id; the data dir is .cache/control-plane/run/<id>/. */
  id: string;
  dir: string;
  /** etcd's and kube-apiserver's logs (kept in memory after stop() deleted the data dir). */
  logs(): Promise<string>;
  /** Ends both process groups (TERM, then KILL after 10 s), waits for them, deletes the data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Project root (default: the one this file is in). */
  root?: string;
  /** Deadline for etcd health + apiserver /readyz (default 120 s: the first start on a busy 2-core machine is slow). */
  readyTimeoutMs?: number;
  /** Leave the processes running when this Node process exits (the CLI's `start`). Default: they are killed. */
  persistent?: boolean;
  /** Progress lines ("etcd healthy after 0.8 s", ...). */
  onProgress?: (msg: string) => void;
}

/** What start writes to <dir>/state.json, so that another process (the CLI's stop/status) can find it. */
export interface ControlPlaneState {
  id: string;
  dir: string;
  server: string;
  etcdUrl: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  processes: { name: 'etcd' | 'kube-apiserver'; pid: number; binary: string }[];
  startedAt: string;
  startMs: number;
  kubeVersion: string;
}
