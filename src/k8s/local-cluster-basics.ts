/**
 * What the repo's manifests need on a bare local control plane before they can be applied: the CRDs (the
 * BackendConfig CRD) and, since no RBAC aggregation controller runs there, a binding that lets the restricted
 * (viewer) user read BackendConfigs. Shared by the cluster specs' worker fixture and the playground.
 */
import { RESTRICTED_USER } from './control-plane';
import { loadCrds } from './manifests';
import type { K8sObject } from './objects';

export const viewerBinding: K8sObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'socketproof-viewer-backendconfigs' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'socketproof-backendconfigs-view' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
};

export function localClusterBasics(): K8sObject[] {
  return [...loadCrds(), viewerBinding];
}
