/**
 * Kubernetes manifests with positions: every document of a (multi-document) YAML file parsed by the `yaml`
 * package with a LineCounter, so a rule can pin a finding to the exact key or value it is about. A file that
 * does not parse is bad input (LintInputError: one line, exit 2); a document that is not a Kubernetes object
 * (a values file, a kustomization's patches) is skipped and counted, not an error.
 */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../k8s/objects';
import { yamlErrorSuffix } from '../../k8s/yaml-error';
import { LintInputError } from '../types';

export interface ManifestDoc {
  /** The file as findings name it. */
  file: string;
  object: K8sObject;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface YamlFile {
  file: string;
  text: string;
  docs: ManifestDoc[];
  /** Documents that are not Kubernetes objects. */
  skipped: number;
}

function isK8sObject(data: unknown): data is K8sObject {
  const o = data as Partial<K8sObject> | null;
  return typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
}

export function parseYamlFile(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const docs: ManifestDoc[] = [];
  let skipped = 0;
  for (const doc of parseAllDocuments(text, { lineCounter, keepSourceTokens: true })) {
    const error = doc.errors[0];
    if (error) throw new LintInputError(`${file}: not valid YAML${yamlErrorSuffix(error)}`);
    const data = doc.toJS() as unknown;
    if (data === null || data === undefined) continue;
    if (!isK8sObject(data)) {
      skipped++;
      continue;
    }
    docs.push({ file, object: data, doc, lineCounter });
  }
  return { file, text, docs, skipped };
}

export type YamlPath = (string | number)[];

export interface Located {
  line: number;
  column: number;
  /** The node at the end of the path (undefined when the path stops early: the position is its deepest parent's). */
  node?: Node;
}

/**
 * Where `path` is in the document: the value's position (`want: 'value'`) or its key's (`'key'`). A path that does
 * not exist resolves to the key of its deepest existing ancestor, so "timeoutSec is missing" points at `spec:`.
 */
export function locate(md: ManifestDoc, path: YamlPath, want: 'key' | 'value' = 'value'): Located {
  const pos = (offset: number) => {
    const p = md.lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  let node: unknown = md.doc.contents;
  let lastKey: Node | undefined;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      if (last && want === 'key' && isScalar(pair.key) && pair.key.range) return { ...pos(pair.key.range[0]), node: pair.value as Node };
      lastKey = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      lastKey = node as Node;
    } else break;
    if (last && (node as Node | null)?.range) return { ...pos((node as Node).range?.[0] ?? 0), node: node as Node };
  }
  const anchor = lastKey?.range?.[0] ?? (md.doc.contents as Node | null)?.range?.[0] ?? 0;
  return pos(anchor);
}

/** The metadata.name line: where an object as a whole is reported. */
export function objectPosition(md: ManifestDoc): Located {
  return locate(md, ['metadata', 'name']);
}
