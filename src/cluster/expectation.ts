/**
 * What the cluster checks expect, resolved from the target's `cluster` section with the repo's defaults filled
 * in (object names of kind/manifests/, port `http`, paths `/` and the app path), and the references to the four
 * production objects.
 */
import { TargetError } from '../targets/load';
import type { GkeAffinityType, Target } from '../targets/target';
import type { ObjectRef } from '../k8s/objects';

export interface ClusterExpectation {
  namespace: string;
  names: { deployment: string; service: string; backendConfig: string; ingress: string };
  servicePort: string | number;
  paths: string[];
  affinity: GkeAffinityType;
  sessionLengthSeconds: number;
  healthPath: string;
  desired: string;
  production: boolean;
  kubeconfig?: string;
  context?: string;
}

export const defaultObjectNames = { deployment: 'theia', service: 'theia', backendConfig: 'theia-backendconfig', ingress: 'theia' };

/** `overrides.namespace`: the self-tests stage private copies of the manifests in namespaces of their own. */
export function clusterExpectation(target: Target, overrides: { namespace?: string } = {}): ClusterExpectation {
  const c = target.cluster;
  if (!c) throw new TargetError(`target ${target.name} has no cluster section: the cluster checks need one (targets/local.yaml shows it)`);
  return {
    namespace: overrides.namespace ?? c.namespace,
    names: { ...defaultObjectNames, ...c.objects },
    servicePort: c.servicePort ?? 'http',
    paths: c.paths ?? [...new Set(['/', target.appPath])],
    affinity: c.affinity,
    sessionLengthSeconds: c.sessionLengthSeconds,
    healthPath: target.healthPath,
    desired: c.desired ?? 'healthy',
    production: c.production,
    kubeconfig: c.kubeconfig,
    context: c.context,
  };
}

export function serviceRef(e: ClusterExpectation): ObjectRef {
  return { apiVersion: 'v1', kind: 'Service', name: e.names.service, namespace: e.namespace };
}

export function backendConfigRef(e: ClusterExpectation, name = e.names.backendConfig): ObjectRef {
  return { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', name, namespace: e.namespace };
}

export function ingressRef(e: ClusterExpectation): ObjectRef {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: e.names.ingress, namespace: e.namespace };
}

export function deploymentRef(e: ClusterExpectation): ObjectRef {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: e.names.deployment, namespace: e.namespace };
}
