/**
 * Kubernetes objects as plain data: references, the fields a server adds (stripped before any comparison), a
 * local merge used where no API server runs, and the order objects must be applied in.
 */

/** Any Kubernetes object, as parsed from YAML or returned by the API server (JSON). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped kinds (Namespace, CustomResourceDefinition). */
  namespace?: string;
}

const clusterScoped = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

export function isClusterScoped(kind: string): boolean {
  return clusterScoped.has(kind);
}

export function refOf(obj: K8sObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}

/** `BackendConfig theia/theia-backendconfig`: how every message names an object. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

/** Same object: kind, group, namespace and name (the version may differ between a file and the server). */
export function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return (
    a.kind === b.kind &&
    groupOf(a.apiVersion) === groupOf(b.apiVersion) &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '')
  );
}

/** Annotations the server or a controller writes, never the user's intent. */
const serverAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'cloud.google.com/neg-status',
];

/**
 * A copy without what the server adds (managedFields, resourceVersion, uid, timestamps, generation, status,
 * controller annotations), so two reads compare equal when nobody changed the object's intent. Spec fields the
 * server allocates (a Service's clusterIP) are kept: they are stable for the object's life.
 */
export function stripServerFields<T extends K8sObject>(obj: T): T {
  const copy = structuredClone(obj) as T & { status?: unknown };
  delete copy.status;
  const meta = copy.metadata as Record<string, unknown>;
  for (const key of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) {
    delete meta[key];
  }
  const annotations = meta.annotations as Record<string, string> | undefined;
  if (annotations) {
    for (const a of serverAnnotations) delete annotations[a];
    if (Object.keys(annotations).length === 0) delete meta.annotations;
  }
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7386 JSON merge patch: objects merge key by key, `null` deletes a key, arrays and scalars replace. The
 * self-tests describe a broken manifest as the healthy one plus such a patch, and the files source uses it to
 * preview a fix (server-side apply merges lists by key where this replaces them: fixes carry whole lists).
 */
export function mergePatch<T>(target: T, patch: unknown): T {
  if (!isPlainObject(patch)) return structuredClone(patch) as T;
  const out: Record<string, unknown> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out as T;
}

/** The objects `patches` touch merged into `objects` (matched by kind/group/namespace/name); new ones appended. */
export function mergeObjects(objects: K8sObject[], patches: K8sObject[]): K8sObject[] {
  const out = objects.map((o) => structuredClone(o));
  for (const p of patches) {
    const i = out.findIndex((o) => sameObject(refOf(o), refOf(p)));
    const existing = out[i];
    if (existing) out[i] = mergePatch(existing, p);
    else out.push(structuredClone(p));
  }
  return out;
}

/** A merge patch for one object of a set, named by kind and name (how the self-tests describe a breakage). */
export interface ObjectPatch {
  kind: string;
  name: string;
  merge: unknown;
}

/** `objects` with each patch merged into the object it names; a patch that names no object is an error. */
export function patchObjects(objects: K8sObject[], patches: ObjectPatch[]): K8sObject[] {
  const out = objects.map((o) => structuredClone(o));
  for (const p of patches) {
    const i = out.findIndex((o) => o.kind === p.kind && o.metadata.name === p.name);
    const target = out[i];
    if (!target) throw new Error(`patch names ${p.kind} ${p.name}, which is not in the set`);
    out[i] = mergePatch(target, p.merge);
  }
  return out;
}

/** CRDs first, then Namespaces, then the rest in file order: what a namespaced custom object needs to exist. */
export function applyOrder(objects: K8sObject[]): K8sObject[] {
  const rank = (o: K8sObject) => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

/** A copy of every object moved to `namespace` (the Namespace object itself renamed): tests get private copies. */
export function inNamespace(objects: K8sObject[], namespace: string): K8sObject[] {
  return objects.map((o) => {
    const copy = structuredClone(o);
    if (o.kind === 'Namespace') copy.metadata.name = namespace;
    else if (!isClusterScoped(o.kind)) copy.metadata.namespace = namespace;
    return copy;
  });
}
