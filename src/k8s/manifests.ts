/**
 * The repo's manifests: `kind/manifests/<set>/*.yaml` (the production shape, one set per state: `healthy`,
 * `broken`) and `kind/crds/*.yaml`. A file that does not parse, or a document that is not a Kubernetes object,
 * fails with one line naming the file, before anything reaches a cluster.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../paths';
import { inNamespace, type K8sObject } from './objects';
import { yamlErrorSuffix } from './yaml-error';

export const manifestsDir = path.join(projectRoot, 'kind', 'manifests');
export const crdsDir = path.join(projectRoot, 'kind', 'crds');

export class ManifestError extends Error {}

/** Project files by their relative path, others (a user's file) by their absolute one. */
function rel(file: string): string {
  const r = path.relative(projectRoot, file);
  return r && !r.startsWith('..') ? r : path.resolve(file);
}

/** Every object in a (multi-document) YAML text; `source` names it in errors. */
export function parseManifests(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    const error = doc.errors[0];
    if (error) throw new ManifestError(`${source}: not valid YAML${yamlErrorSuffix(error)}`);
    const data = doc.toJS() as unknown;
    if (data === null || data === undefined) continue; // an empty document (a trailing ---)
    const o = data as Partial<K8sObject>;
    if (typeof o !== 'object' || Array.isArray(o) || !o.apiVersion || !o.kind || typeof o.metadata?.name !== 'string') {
      throw new ManifestError(`${source}: document ${i + 1} is not a Kubernetes object (apiVersion, kind, metadata.name)`);
    }
    objects.push(o as K8sObject);
  }
  return objects;
}

export function loadManifestFile(file: string): K8sObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ManifestError(`${rel(file)}: cannot read the manifest file`);
  }
  return parseManifests(text, rel(file));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function listManifestSets(): string[] {
  return readdirSync(manifestsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The objects of one set, optionally moved to another namespace (tests stage private copies). */
export function loadManifestSet(set: string, opts: { namespace?: string } = {}): K8sObject[] {
  if (!listManifestSets().includes(set)) {
    throw new ManifestError(`unknown manifest set "${set}": known sets are ${listManifestSets().join(', ')} (kind/manifests/)`);
  }
  const objects = yamlFiles(path.join(manifestsDir, set)).flatMap(loadManifestFile);
  return opts.namespace ? inNamespace(objects, opts.namespace) : objects;
}

/** The CRDs the manifests need (the BackendConfig CRD). */
export function loadCrds(): K8sObject[] {
  return yamlFiles(crdsDir).flatMap(loadManifestFile);
}
