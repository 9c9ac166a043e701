/**
 * startControlPlane(): one run in .cache/control-plane/run/<id>/ — credentials, etcd, then
 * kube-apiserver, the RBAC a real cluster has, the kubeconfigs and state.json — and its stop().
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { controlPlaneBinaries, controlPlanePaths, isExecutable } from './binaries';
import { makeCredentials } from './credentials';
import { writeKubeconfigs } from './kubeconfig';
import { failureReport, logFilesIn, readLogFiles } from './logs';
import { freePorts } from '../../os/ports';
import { forgetOnExit, killGroup, killOnExit } from './processes';
import { aggregateClusterRoles, bindRestrictedUserToView } from './rbac';
import { apiserverArgs, etcdArgs, waitForApiserver, waitForEtcd } from './servers';
import { removeRunDir } from './state';
import type { ControlPlane, ControlPlaneState, StartOptions } from './types';
import { BUILD_COMMAND, KUBE_VERSION } from './versions';

/**
 * Starts etcd and kube-apiserver on free loopback ports and returns once /readyz is ok, the
 * restricted user is bound to the `view` ClusterRole and both kubeconfigs are written.
 */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const t0 = Date.now();
  const progress = opts.onProgress ?? (() => {});
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const bins = controlPlaneBinaries(opts.root);
  if (!bins) {
    throw new Error(`kube-apiserver and etcd are not built: run \`${BUILD_COMMAND}\` (or set KUBEBUILDER_ASSETS)`);
  }
  for (const b of [bins.apiserver, bins.etcd]) {
    if (!isExecutable(b)) throw new Error(`not an executable: ${b} (KUBEBUILDER_ASSETS=${process.env.KUBEBUILDER_ASSETS ?? ''})`);
  }
  const paths = controlPlanePaths(opts.root);
  const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(paths.run, id);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const logFiles = logFilesIn(dir);
  const children: { name: 'etcd' | 'kube-apiserver'; child: ChildProcess; binary: string }[] = [];
  let stopped: Promise<void> | undefined;
  let logSnapshot: string | undefined;

  const readLogs = async () => {
    if (logSnapshot !== undefined) return logSnapshot;
    return readLogFiles(logFiles);
  };
  const stop = () => {
    stopped ??= (async () => {
      for (const c of [...children].reverse()) {
        if (c.child.pid) await killGroup(c.child.pid, c.binary);
      }
      logSnapshot = await readLogs();
      await removeRunDir(dir, opts.root);
      forgetOnExit(cp);
    })();
    return stopped;
  };
  const cp: ControlPlane = {
    server: '',
    adminKubeconfig: path.join(dir, 'admin.kubeconfig'),
    restrictedKubeconfig: path.join(dir, 'restricted.kubeconfig'),
    pids: [],
    startMs: 0,
    id,
    dir,
    logs: readLogs,
    stop,
  };

  const launch = (name: 'etcd' | 'kube-apiserver', binary: string, args: string[], log: string) => {
    const fd = openSync(log, 'a');
    try {
      const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env } });
      child.on('error', () => {}); // reported through the exit checks in servers.ts
      if (opts.persistent) child.unref();
      children.push({ name, child, binary });
      if (child.pid) cp.pids.push(child.pid);
      return child;
    } finally {
      closeSync(fd);
    }
  };
  const failure = async (what: string) => {
    const msg = await failureReport(id, what, since(), logFiles);
    await stop().catch(() => {});
    return new Error(msg);
  };

  if (!opts.persistent) killOnExit(cp);
  try {
    const creds = await makeCredentials(dir);
    const [etcdClient, etcdPeer, securePort] = (await freePorts(3)) as [number, number, number];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const server = `https://127.0.0.1:${securePort}`;
    cp.server = server;
    progress(`credentials in ${path.join(dir, 'pki')}, ports etcd ${etcdClient}/${etcdPeer}, apiserver ${securePort} (${since()})`);

    const etcd = launch('etcd', bins.etcd, etcdArgs(dir, etcdUrl, etcdPeer), logFiles.etcd);
    const deadline = t0 + (opts.readyTimeoutMs ?? 120_000);
    await waitForEtcd(etcd, etcdUrl, deadline, failure);
    progress(`etcd healthy at ${etcdUrl} (${since()})`);

    const apiserverFlags = apiserverArgs(dir, etcdUrl, securePort, server, creds);
    const apiserver = launch('kube-apiserver', bins.apiserver, apiserverFlags, logFiles.apiserver);
    await waitForApiserver(apiserver, etcd, server, creds, deadline, failure);
    progress(`kube-apiserver ready at ${server} (${since()})`);

    // admin/edit/view are aggregated ClusterRoles: their rules are filled in by
    // kube-controller-manager's clusterrole-aggregation controller, which does not run here.
    // Do its work once, so that binding to `view` grants what it grants in a real cluster.
    await aggregateClusterRoles(server, creds.ca, creds.adminToken).catch(async (e: Error) => {
      throw await failure(`aggregating the admin/edit/view ClusterRoles: ${e.message}`);
    });
    const notBound = await bindRestrictedUserToView(server, creds.ca, creds.adminToken);
    if (notBound) throw await failure(notBound);

    await writeKubeconfigs(cp, server, creds);
    cp.startMs = Date.now() - t0;
    const state: ControlPlaneState = {
      id,
      dir,
      server,
      etcdUrl,
      adminKubeconfig: cp.adminKubeconfig,
      restrictedKubeconfig: cp.restrictedKubeconfig,
      processes: children.map((c) => ({ name: c.name, pid: c.child.pid ?? -1, binary: c.binary })),
      startedAt: new Date(t0).toISOString(),
      startMs: cp.startMs,
      kubeVersion: KUBE_VERSION,
    };
    await fs.writeFile(path.join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
    progress(`ready in ${(cp.startMs / 1000).toFixed(1)} s`);
    return cp;
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}
