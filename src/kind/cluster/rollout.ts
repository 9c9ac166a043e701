/**
 * Waiting for a kind deployment to be usable, each with a deadline and, when it passes, the evidence of why:
 * the Deployment's rollout (and its pods' states: ErrImageNeverPull, CrashLoopBackOff…), the `pod-nginx` hop's
 * label on one ready pod, and the host URLs answering through kind's port mappings.
 */
import { serverSideApply, type ClusterConnection } from '../../k8s/client';
import type { K8sObject } from '../../k8s/objects';
import type { DeploymentRef } from './manifests';
import { HOP_LABEL, KIND_FIELD_MANAGER } from './manifests';
import { KindError } from './kind-cluster';

interface PodStatus {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; ready: boolean; restartCount: number; state?: Record<string, { reason?: string; message?: string }> }[];
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function listPods(conn: ClusterConnection, dep: DeploymentRef): Promise<PodStatus[]> {
  const list = await conn.objects.list(
    'v1',
    'Pod',
    dep.namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    dep.selector,
  );
  return (list.items as unknown as PodStatus[]).filter((p) => !p.metadata.deletionTimestamp);
}

const podReady = (p: PodStatus) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export function describePods(pods: PodStatus[]): string {
  return (
    pods
      .map((p) => {
        const cs = (p.status?.containerStatuses ?? []).map((c) => {
          const [state, detail] = Object.entries(c.state ?? {})[0] ?? ['?', {}];
          return `${c.name}=${state}${detail.reason ? `(${detail.reason})` : ''}${c.restartCount ? ` restarts ${c.restartCount}` : ''}`;
        });
        return `${p.metadata.name} ${p.status?.phase ?? '?'} ${podReady(p) ? 'ready' : 'not ready'} [${cs.join(', ')}]`;
      })
      .join('; ') || 'no pods'
  );
}

/** Until every replica runs the current template and is available, or the deadline. */
export async function waitForRollout(conn: ClusterConnection, dep: DeploymentRef, deadlineMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const d = (await conn.objects.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.name, namespace: dep.namespace })) as K8sObject & {
      metadata: { generation?: number };
      spec: { replicas?: number };
      status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; readyReplicas?: number };
    };
    const want = d.spec.replicas ?? 1;
    const s = d.status ?? {};
    const pods = await listPods(conn, dep);
    const done =
      (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      s.updatedReplicas === want &&
      s.availableReplicas === want &&
      s.replicas === want &&
      pods.length === want &&
      pods.every(podReady);
    if (done) return Date.now() - t0;
    if (Date.now() - t0 > deadlineMs) {
      throw new KindError(
        `Deployment ${dep.namespace}/${dep.name} did not roll out within ${deadlineMs / 1000} s ` +
          `(updated ${s.updatedReplicas ?? 0}, available ${s.availableReplicas ?? 0} of ${want}): ${describePods(pods)}`,
      );
    }
    await sleep(1000);
  }
}

/** Exactly one ready pod carries the `pod-nginx` hop label (the NodePort Service theia-pod-nginx selects it). */
export async function labelHopPod(conn: ClusterConnection, dep: DeploymentRef): Promise<string> {
  const pods = await listPods(conn, dep);
  const chosen = pods.filter(podReady).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  if (!chosen) throw new KindError(`no ready pod of ${dep.namespace}/${dep.name} to serve the pod-nginx hop: ${describePods(pods)}`);
  for (const p of pods) {
    const want = p === chosen ? 'pod-nginx' : undefined;
    if (p.metadata.labels?.[HOP_LABEL] === want) continue;
    // Server-side apply of the label alone, by its own manager: applying without it removes it again.
    const labels = want ? { [HOP_LABEL]: want } : {};
    const patch: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: p.metadata.name, namespace: dep.namespace, labels } };
    await serverSideApply(conn, patch, { fieldManager: `${KIND_FIELD_MANAGER}-hop`, force: true });
  }
  return chosen.metadata.name;
}

/** Until every URL answers 200 on `path` (kube-proxy programs a NodePort a moment after its endpoints appear). */
export async function waitForUrls(urls: string[], path: string, deadlineMs: number): Promise<number> {
  const t0 = Date.now();
  const last = new Map<string, string>();
  for (;;) {
    const results = await Promise.all(
      urls.map((u) =>
        fetch(`${u}${path}`, { signal: AbortSignal.timeout(3000) }).then(
          async (r) => {
            await r.arrayBuffer();
            last.set(u, `HTTP ${r.status}`);
            return r.status === 200;
          },
          (e: Error) => {
            last.set(u, (e.cause as Error | undefined)?.message ?? e.message);
            return false;
          },
        ),
      ),
    );
    if (results.every(Boolean)) return Date.now() - t0;
    if (Date.now() - t0 > deadlineMs) {
      throw new KindError(`the target does not answer within ${deadlineMs / 1000} s: ${urls.map((u) => `${u}${path} → ${last.get(u)}`).join(', ')}`);
    }
    await sleep(500);
  }
}
