/**
 * The faults a kind cluster can show, as data: each is the objects a person would change to break it (server-side
 * applied by its own field manager, so undoing it is giving those fields up, which leaves the production manifests'
 * fields exactly as they were) and what says it is in effect:
 *   service-rules  kube-proxy has reprogrammed the lb Service (proxy-rules.ts reads the node's iptables)
 *   rollout        the Deployment rolled out, the pod-nginx label is on a new pod and the host URLs answer
 * Which faults stand up in kind, and their expected verdicts, is faults/traffic.yaml's business.
 */
import { applyObjects } from '../../k8s/apply';
import { type ClusterConnection, deleteObject, serverSideApply } from '../../k8s/client';
import type { K8sObject } from '../../k8s/objects';
import { healthySettings } from '../../topology/defaults';
import { podConfigFor } from '../containers/pod-containers';
import type { Docker } from '../docker-engine/cli';
import { type DeploymentRef, KIND_FIELD_MANAGER, overlayObjects, podDeployment, productionObjects } from './manifests';
import { type ServiceRef, waitForAffinity } from './proxy-rules';
import { labelHopPod, waitForRollout, waitForUrls } from './rollout';

export type KindFault = 'no-affinity' | 'pod-strips-upgrade';

export const FAULT_MANAGER = 'socketproof-kind-fault';
const FAULT_CONFIGMAP = 'theia-pod-nginx-fault';
const FAULT_CONF_DIR = '/etc/socketproof-fault';
/** The lb hop's Service (kind/manifests-kind/services.yaml), whose affinity the no-affinity fault switches off. */
export const LB_SERVICE: ServiceRef = { namespace: 'theia', name: 'theia-nodeport' };

export type Readiness = 'service-rules' | 'rollout';

export interface KindFaultSpec {
  id: KindFault;
  /** What is applied, each list by its field manager. */
  objects(dep: DeploymentRef): { manager: string; objects: K8sObject[] }[];
  /** What says the fault is in effect. */
  ready: Readiness;
  /**
   * `check@hop` pairs whose verdict on one run depends on a random choice kube-proxy makes, with why: there the
   * verdict must be `ok` or the fault's own cause (never another one), and which it was is reported.
   */
  chance?: { pairs: string[]; reason: string };
}

export const KIND_FAULTS: Record<KindFault, KindFaultSpec> = {
  // The lb Service without ClientIP affinity: kube-proxy then balances each connection (no pod restarts).
  'no-affinity': {
    id: 'no-affinity',
    objects: () => [{ manager: KIND_FIELD_MANAGER, objects: overlayObjects({ affinity: 'None' }) }],
    ready: 'service-rules',
    chance: {
      pairs: ['handshake@lb', 'websocket-upgrade@lb', 'connection-lifetime@lb', 'browser-terminal@lb'],
      reason:
        "kube-proxy's iptables mode picks an endpoint at random per TCP connection (no round robin without IPVS, which " +
        "these VMs' kernel lacks). session-continuity sends 88 requests, each on a new connection: red on every run " +
        '(all on one pod: 2^-87). handshake (2 clients: page load + handshake each), websocket-upgrade, ' +
        'connection-lifetime (one session) and browser-terminal (one page load) use 2-4 connections, which all land ' +
        "on the session's pod with probability 1/4 to 1/16 a run: red or ok by chance (seen ok here: handshake 1 run " +
        'in 5, connection-lifetime 1 in 5, browser-terminal 1 in 5).',
    },
  },
  // The pods' nginx given a config without Upgrade forwarding: a ConfigMap mounted into the production Deployment.
  'pod-strips-upgrade': {
    id: 'pod-strips-upgrade',
    objects: (dep) => {
      const { configMap, patch } = podFaultObjects(dep);
      return [{ manager: FAULT_MANAGER, objects: [configMap, patch] }];
    },
    ready: 'rollout',
  },
};
export const kindFaults = Object.keys(KIND_FAULTS) as KindFault[];

/** Where the faults are read back: the kind node (its iptables) on this engine, and the target's host URLs. */
export interface KindFaultContext {
  conn: ClusterConnection;
  docker: Docker;
  node: string;
  urls: string[];
}

export interface FaultTimings {
  /** From the apply until the readiness signal held. */
  readyMs: number;
  ready: Readiness;
}

export async function applyKindFault(c: KindFaultContext, fault: KindFault): Promise<FaultTimings> {
  const spec = KIND_FAULTS[fault];
  for (const { manager, objects } of spec.objects(podDeployment(productionObjects()))) {
    for (const o of objects) await serverSideApply(c.conn, o, { fieldManager: manager, force: true });
  }
  const t0 = Date.now();
  if (spec.ready === 'service-rules') await waitForAffinity(c.docker, c.node, LB_SERVICE, false);
  else await settle(c.conn, c.urls);
  return { readyMs: Date.now() - t0, ready: spec.ready };
}

/** Undoes every fault (whichever was applied): tolerant of what is already undone, reports every error. */
export async function restoreKind(c: KindFaultContext): Promise<void> {
  const dep = podDeployment(productionObjects());
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      errors.push(`${what}: ${(e as Error).message}`);
    }
  };
  await attempt('restore the lb Service', () => applyObjects(c.conn, overlayObjects(), { fieldManager: KIND_FIELD_MANAGER, force: true }));
  await attempt('restore the Deployment', () => relinquishPodFault(c.conn, dep));
  await attempt('roll out', () => settle(c.conn, c.urls));
  await attempt('kube-proxy affinity back', () => waitForAffinity(c.docker, c.node, LB_SERVICE, true));
  if (errors.length) throw new Error(`restoring the kind cluster: ${errors.join('; ')}`);
}

/** The pod-strips-upgrade fault as objects: the nginx config without Upgrade, and the Deployment fields mounting it. */
export function podFaultObjects(dep: DeploymentRef): { configMap: K8sObject; patch: K8sObject } {
  const conf = podConfigFor(healthySettings({ pod: { forwardUpgrade: false } }));
  const configMap: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: FAULT_CONFIGMAP, namespace: dep.namespace },
    data: { 'nginx.conf': conf },
  };
  const patch: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: dep.name, namespace: dep.namespace },
    spec: {
      template: {
        spec: {
          volumes: [{ name: 'socketproof-fault-conf', configMap: { name: FAULT_CONFIGMAP } }],
          containers: [
            {
              name: 'nginx',
              env: [{ name: 'SOCKETPROOF_NGINX_CONF', value: `${FAULT_CONF_DIR}/nginx.conf` }],
              volumeMounts: [{ name: 'socketproof-fault-conf', mountPath: FAULT_CONF_DIR, readOnly: true }],
            },
          ],
        },
      },
    },
  };
  return { configMap, patch };
}

/** Applying an empty intent gives up every field the fault's manager set (volume, mount, env); then its ConfigMap. */
export async function relinquishPodFault(conn: ClusterConnection, dep: DeploymentRef): Promise<void> {
  const empty: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: dep.name, namespace: dep.namespace } };
  await serverSideApply(conn, empty, { fieldManager: FAULT_MANAGER, force: true });
  await deleteObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', name: FAULT_CONFIGMAP, namespace: dep.namespace });
}

/** Rollout, the pod-nginx label on a pod of the new ReplicaSet, and the host URLs answering again. */
async function settle(conn: ClusterConnection, urls: string[]): Promise<number> {
  const dep = podDeployment(productionObjects());
  const t0 = Date.now();
  await waitForRollout(conn, dep, 180_000);
  await labelHopPod(conn, dep);
  await waitForUrls(urls, '/health', 60_000);
  return Date.now() - t0;
}
