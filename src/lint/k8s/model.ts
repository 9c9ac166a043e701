/**
 * The manifests of one lint run as a set: objects found by kind and name, which Ingress controller serves an
 * Ingress, which Services an Ingress routes to, which workloads a Service selects, and which container serves a
 * Service port. Rules reason across files (a Service in one file, its BackendConfig in another), as
 * `kubectl apply -f <folder>` would apply them together.
 */
import type { K8sObject } from '../../k8s/objects';
import { locate, type ManifestDoc, type YamlPath } from '../yaml/documents';

export class ManifestSet {
  constructor(readonly docs: ManifestDoc[]) {}

  ofKind(kind: string): ManifestDoc[] {
    return this.docs.filter((d) => d.object.kind === kind);
  }

  find(kind: string, name: string, namespace: string | undefined): ManifestDoc | undefined {
    return this.docs.find((d) => d.object.kind === kind && d.object.metadata.name === name && sameNamespace(d.object, namespace));
  }

  /** Anything GKE-specific in the set: a class-less Ingress is then GKE's (its default controller). */
  get gkeSignals(): boolean {
    return this.docs.some(
      (d) => d.object.kind === 'BackendConfig' || Object.keys(annotationsOf(d.object)).some((k) => k.startsWith('cloud.google.com/')),
    );
  }
}

/** A field as a list, or empty when a manifest has something else there (the API server would reject it; lint goes on). */
export function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** A field as a string map, or empty when it is not one. */
export function record(value: unknown): Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, string>) : {};
}

export function annotationsOf(o: K8sObject): Record<string, string> {
  return record(o.metadata.annotations);
}

export function sameNamespace(o: K8sObject, namespace: string | undefined): boolean {
  return (o.metadata.namespace ?? '') === (namespace ?? '');
}

// kubernetes/ingress-gce pkg/annotations/ingress.go: GceIngressClass, GceL7ILBIngressClass, … (the classes it serves).
const gceClasses = ['gce', 'gce-internal', 'gce-regional-external', 'gce-multi-cluster'];

export type IngressController = 'gke' | 'nginx' | 'other';

export function ingressController(ingress: K8sObject, set: ManifestSet): IngressController {
  const annotations = annotationsOf(ingress);
  const cls = annotations['kubernetes.io/ingress.class'] ?? record(ingress.spec).ingressClassName;
  if (typeof cls === 'string') return gceClasses.includes(cls) ? 'gke' : cls.includes('nginx') ? 'nginx' : 'other';
  if (Object.keys(annotations).some((k) => k.startsWith('nginx.ingress.kubernetes.io/'))) return 'nginx';
  return set.gkeSignals ? 'gke' : 'other';
}

export interface IngressBackend {
  service: string;
  port: string | number | undefined;
  /** Where the backend's port (or service name) is written. */
  path: YamlPath;
  /** `/theia/ (Prefix)` or `defaultBackend`. */
  route: string;
}

interface Backend {
  service?: { name?: string; port?: { name?: string; number?: number } };
}

export function ingressBackends(ingress: K8sObject): IngressBackend[] {
  const spec = record(ingress.spec) as {
    defaultBackend?: Backend;
    rules?: { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: Backend }[] } }[];
  };
  const out: IngressBackend[] = [];
  const add = (backend: Backend | undefined, path: YamlPath, route: string) => {
    const svc = record(backend).service as Backend['service'];
    if (typeof svc?.name !== 'string') return;
    const port = svc.port?.name ?? svc.port?.number;
    const portPath = svc.port?.name !== undefined ? ['port', 'name'] : svc.port?.number !== undefined ? ['port', 'number'] : ['name'];
    out.push({ service: svc.name, port, path: [...path, 'service', ...portPath], route });
  };
  add(spec.defaultBackend, ['spec', 'defaultBackend'], 'defaultBackend');
  for (const [r, rule] of list<NonNullable<typeof spec.rules>[number]>(spec.rules).entries()) {
    for (const [i, p] of list<{ path?: string; pathType?: string; backend?: Backend }>(record(rule).http && record(record(rule).http).paths).entries()) {
      const route = `${rule.host ? `${rule.host} ` : ''}${p.path ?? '/'} (${p.pathType ?? 'ImplementationSpecific'})`;
      add(p.backend, ['spec', 'rules', r, 'http', 'paths', i, 'backend'], route);
    }
  }
  return out;
}

/** The Ingresses of a controller that route to a Service, with the backends that do. */
export function routesTo(set: ManifestSet, service: ManifestDoc, controller: IngressController): { ingress: ManifestDoc; backends: IngressBackend[] }[] {
  return set
    .ofKind('Ingress')
    .filter((i) => sameNamespace(i.object, service.object.metadata.namespace) && ingressController(i.object, set) === controller)
    .map((ingress) => ({ ingress, backends: ingressBackends(ingress.object).filter((b) => b.service === service.object.metadata.name) }))
    .filter((r) => r.backends.length > 0);
}

interface ContainerPort {
  name?: string;
  containerPort: number;
}
interface Container {
  name: string;
  ports?: ContainerPort[];
  readinessProbe?: { httpGet?: { path?: string; port?: string | number } };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: Container[] };
}

export const workloadKinds = ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'];

export function podTemplate(workload: K8sObject): PodTemplate {
  return record(record(workload.spec).template) as PodTemplate;
}

export function containersOf(workload: K8sObject): Container[] {
  return list<Container>(record(podTemplate(workload).spec).containers).filter((c) => typeof c === 'object' && c !== null);
}

/** Workloads whose pods a Service selects (same namespace, every selector label on the pod template). */
export function selectedWorkloads(set: ManifestSet, service: K8sObject): ManifestDoc[] {
  const selector = record(record(service.spec).selector);
  if (Object.keys(selector).length === 0) return [];
  return set.docs.filter((d) => {
    if (!workloadKinds.includes(d.object.kind) || !sameNamespace(d.object, service.metadata.namespace)) return false;
    const labels = record(record(podTemplate(d.object).metadata).labels);
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

export interface ServicePortSpec {
  name?: string;
  port: number;
  targetPort?: string | number;
}

export function servicePorts(service: K8sObject): ServicePortSpec[] {
  return list<ServicePortSpec>(record(service.spec).ports).filter((p) => typeof p === 'object' && p !== null);
}

export function findServicePort(service: K8sObject, key: string | number | undefined): ServicePortSpec | undefined {
  if (key === undefined) return undefined;
  return servicePorts(service).find((p) => (typeof key === 'number' ? p.port === key : p.name === key || String(p.port) === key));
}

/** The container and port number a Service port's targetPort reaches in a workload (by port name or number). */
export function servingContainer(workload: K8sObject, port: ServicePortSpec): { container: Container; containerPort: number } | undefined {
  const target = port.targetPort ?? port.port;
  for (const container of containersOf(workload)) {
    for (const p of list<ContainerPort>(container.ports)) {
      if (typeof target === 'string' ? p.name === target : p.containerPort === target) return { container, containerPort: p.containerPort };
    }
  }
  return undefined;
}

/** `Service theia/theia`: how findings name an object. */
export function nameOf(md: ManifestDoc): string {
  const o = md.object;
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

export function annotationPosition(md: ManifestDoc, key: string, want: 'key' | 'value' = 'key') {
  return locate(md, ['metadata', 'annotations', key], want);
}
