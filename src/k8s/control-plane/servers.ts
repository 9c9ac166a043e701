/**
 * How etcd and kube-apiserver run here (their flags) and the waits until each answers: etcd's
 * /health, then kube-apiserver's /readyz, failing early when either process exits.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Credentials } from './credentials';
import { readyz, request, sleep } from './http';

/** Turns what went wrong into the Error to throw (startControlPlane's adds the logs and stops the run). */
export type Fail = (what: string) => Promise<Error>;

export function etcdArgs(dir: string, etcdUrl: string, etcdPeer: number): string[] {
  return [
    '--name=socketproof',
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=socketproof=http://127.0.0.1:${etcdPeer}`,
    '--initial-cluster-state=new',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(dir: string, etcdUrl: string, securePort: number, server: string, creds: Credentials): string[] {
  return [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--cert-dir=${path.join(dir, 'pki')}`,
    `--tls-cert-file=${creds.certFile}`,
    `--tls-private-key-file=${creds.keyFile}`,
    `--token-auth-file=${creds.tokenFile}`,
    `--service-account-issuer=${server}`,
    `--service-account-key-file=${creds.saPub}`,
    `--service-account-signing-key-file=${creds.saKey}`,
    '--authorization-mode=Node,RBAC',
    '--service-cluster-ip-range=10.96.0.0/16',
    // ServiceAccount admission rejects every Pod (also those a test creates directly) until a
    // `default` ServiceAccount exists, which only kube-controller-manager creates: off.
    '--disable-admission-plugins=ServiceAccount',
    // Endpoints may not hold loopback addresses, so the `kubernetes` Service's endpoints
    // cannot point at 127.0.0.1: don't reconcile them.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
  ];
}

export async function waitForEtcd(etcd: ChildProcess, etcdUrl: string, deadline: number, fail: Fail): Promise<void> {
  for (;;) {
    if (etcd.exitCode !== null || etcd.signalCode !== null) throw await fail(`etcd exited (${etcd.exitCode ?? etcd.signalCode})`);
    const r = await request(`${etcdUrl}/health`, { timeoutMs: 2000 }).catch(() => undefined);
    if (r?.status === 200 && r.body.includes('"true"')) return;
    if (Date.now() > deadline) throw await fail(`etcd not healthy at ${etcdUrl}/health before the deadline`);
    await sleep(100);
  }
}

export async function waitForApiserver(
  apiserver: ChildProcess,
  etcd: ChildProcess,
  server: string,
  creds: Credentials,
  deadline: number,
  fail: Fail,
): Promise<void> {
  for (;;) {
    if (apiserver.exitCode !== null || apiserver.signalCode !== null) {
      throw await fail(`kube-apiserver exited (${apiserver.exitCode ?? apiserver.signalCode})`);
    }
    if (etcd.exitCode !== null || etcd.signalCode !== null) throw await fail(`etcd exited (${etcd.exitCode ?? etcd.signalCode})`);
    const r = await readyz(server, creds.ca, creds.adminToken).catch(() => undefined);
    if (r?.status === 200 && r.body.trim() === 'ok') return;
    if (Date.now() > deadline) {
      throw await fail(`kube-apiserver /readyz not ok before the deadline (last: ${r ? `${r.status} ${r.body.slice(0, 400)}` : 'no answer'})`);
    }
    await sleep(200);
  }
}
