/**
 * The faults a kind cluster can show, made and undone the way a person would break it: kube-proxy affinity
 * switched off on the lb Service, and the pod's nginx given a config without Upgrade forwarding (a ConfigMap
 * mounted into the production Deployment). Each change is server-side applied by its own field manager, so undoing
 * it is giving those fields up, which leaves the production manifests' fields exactly as they were.
 */
import { applyObjects } from '../../k8s/apply';
import { type ClusterConnection, deleteObject, serverSideApply } from '../../k8s/client';
import type { K8sObject } from '../../k8s/objects';
import { healthySettings } from '../../topology/defaults';
import { type DeploymentRef, KIND_FIELD_MANAGER, overlayObjects, podDeployment, productionObjects } from './manifests';
import { podConfigFor } from '../containers/pod-containers';
import { labelHopPod, waitForRollout, waitForUrls } from './rollout';

export type KindFault = 'no-affinity' | 'pod-strips-upgrade';
export const kindFaults: KindFault[] = ['no-affinity', 'pod-strips-upgrade'];

export const FAULT_MANAGER = 'socketproof-kind-fault';
const FAULT_CONFIGMAP = 'theia-pod-nginx-fault';
const FAULT_CONF_DIR = '/etc/socketproof-fault';

export interface FaultTimings {
  rolloutMs: number;
}

export async function applyKindFault(conn: ClusterConnection, fault: KindFault, urls: string[]): Promise<FaultTimings> {
  const dep = podDeployment(productionObjects());
  if (fault === 'no-affinity') {
    await applyObjects(conn, overlayObjects({ affinity: 'None' }), { fieldManager: KIND_FIELD_MANAGER, force: true });
    // kube-proxy rewrites its rules on its next sync (iptables mode: at most ~1 s after the change); no pod restarts.
    await new Promise((r) => setTimeout(r, 5000));
    return { rolloutMs: 0 };
  }
  const { configMap, patch } = podFaultObjects(dep);
  await serverSideApply(conn, configMap, { fieldManager: FAULT_MANAGER, force: true });
  await serverSideApply(conn, patch, { fieldManager: FAULT_MANAGER, force: true });
  return { rolloutMs: await settle(conn, urls) };
}

/** Undoes every fault (whichever was applied): tolerant of what is already undone, reports every error. */
export async function restoreKind(conn: ClusterConnection, urls: string[]): Promise<void> {
  const dep = podDeployment(productionObjects());
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      errors.push(`${what}: ${(e as Error).message}`);
    }
  };
  await attempt('restore the lb Service', () => applyObjects(conn, overlayObjects(), { fieldManager: KIND_FIELD_MANAGER, force: true }));
  await attempt('restore the Deployment', () => relinquishPodFault(conn, dep));
  await attempt('roll out', () => settle(conn, urls));
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
