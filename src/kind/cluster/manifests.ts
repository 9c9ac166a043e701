/**
 * What kind-up applies: the BackendConfig CRD and the production manifests (kind/manifests/<set>/) exactly as
 * they are, so the cluster checks and drift see production's objects; plus the kind-only overlay
 * (kind/manifests-kind/: NodePort Services). The production Deployment names its images; the pod image is tagged
 * with those names (one tag per container, with that container's command), so nothing in it needs rewriting.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadCrds, loadManifestFile, loadManifestSet } from '../../k8s/manifests';
import type { K8sObject } from '../../k8s/objects';
import { projectRoot } from '../../paths';

export const overlayDir = path.join(projectRoot, 'kind', 'manifests-kind');
export const KIND_FIELD_MANAGER = 'socketproof-kind';
export const HOP_LABEL = 'socketproof.dev/hop';

export interface DeploymentRef {
  namespace: string;
  name: string;
  /** spec.selector.matchLabels as a label selector string. */
  selector: string;
  replicas: number;
  /** Container name → image, for the containers the pod image stands in for. */
  images: { nginx: string; theia: string };
  /** The theia container's args (Theia's own flags), which the pod image's entry point must accept. */
  theiaArgs: string[];
}

export function productionObjects(set = 'healthy'): K8sObject[] {
  return [...loadCrds(), ...loadManifestSet(set)];
}

/** The overlay objects; `affinity` overrides the lb Service's sessionAffinity (the affinity fault). */
export function overlayObjects(opts: { affinity?: 'ClientIP' | 'None' } = {}): K8sObject[] {
  const files = readdirSync(overlayDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const objects = files.flatMap((f) => loadManifestFile(path.join(overlayDir, f)));
  return objects.map((o) => {
    if (o.kind !== 'Service' || o.metadata.name !== 'theia-nodeport' || !opts.affinity) return o;
    const spec: Record<string, unknown> = { ...(o.spec as Record<string, unknown>), sessionAffinity: opts.affinity };
    if (opts.affinity === 'None') delete spec.sessionAffinityConfig;
    return { ...o, spec };
  });
}

/** The production Deployment and the two images its containers name (`nginx`, `theia`). */
export function podDeployment(objects: K8sObject[]): DeploymentRef {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const dep = deployments[0];
  if (deployments.length !== 1 || !dep) {
    throw new Error(`kind/manifests: expected one Deployment (the combined pod), found ${deployments.length}`);
  }
  const spec = dep.spec as {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { spec: { containers: { name: string; image: string; args?: string[] }[] } };
  };
  const image = (name: string) => {
    const c = spec.template.spec.containers.find((x) => x.name === name);
    if (!c) throw new Error(`Deployment ${dep.metadata.name} has no container "${name}": the pod image stands in for nginx and theia`);
    if (c.image.includes('@')) throw new Error(`container ${name} pins ${c.image} by digest: a local image cannot stand in for it`);
    return c.image;
  };
  return {
    namespace: dep.metadata.namespace ?? 'default',
    name: dep.metadata.name,
    selector: Object.entries(spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(','),
    replicas: spec.replicas ?? 1,
    images: { nginx: image('nginx'), theia: image('theia') },
    theiaArgs: spec.template.spec.containers.find((c) => c.name === 'theia')?.args ?? [],
  };
}
