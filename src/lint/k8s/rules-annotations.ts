/**
 * Annotations under the prefixes GKE, ingress-gce, the GCE cloud provider, managed certificates, GKE Gateway and
 * ingress-nginx own: a key none of them reads is a typo or a myth (`cloud.google.com/websocket-max-idle-timeout`
 * exists nowhere), and a key read on another kind does nothing where it is (`cloud.google.com/backend-config` on
 * an Ingress). The registry (annotation-registry.yaml) says who reads what, from which source file and commit.
 */
import type { Finding } from '../types';
import type { ManifestDoc } from '../yaml/documents';
import { manifestFinding } from './finding';
import { annotationsOf, nameOf } from './model';
import { describeSource, hintFor, isWatched, lookup, nearest } from './registry';

export function annotationRules(docs: ManifestDoc[]): Finding[] {
  const findings: Finding[] = [];
  for (const md of docs) {
    for (const key of Object.keys(annotationsOf(md.object))) {
      if (!isWatched(key)) continue;
      const path = ['metadata', 'annotations', key];
      const readers = lookup(key);
      if (readers.length === 0) {
        const near = nearest(key);
        const hint = hintFor(key);
        const parts = [
          `${key} on ${nameOf(md)} is read by no controller (GKE Ingress, GCE L4, managed certificates, GKE Gateway, ingress-nginx)`,
          near ? `nearest known: ${near.key}` : '',
          hint ? hint.say : '',
        ].filter(Boolean);
        findings.push(manifestFinding('annotation-unknown', 'warning', md, path, parts.join('; '), { fix: hint?.fix, want: 'key' }));
        continue;
      }
      const kinds = [...new Set(readers.flatMap((r) => r.entry.kinds))];
      if (!kinds.includes(md.object.kind)) {
        const first = readers[0] as (typeof readers)[number];
        findings.push(
          manifestFinding(
            'annotation-wrong-kind',
            'warning',
            md,
            path,
            `${key} on ${nameOf(md)} does nothing: ${first.controller.title} reads it on ${kinds.join(', ')} (${describeSource(first.controller, first.entry)})`,
            { fix: first.entry.fix, want: 'key' },
          ),
        );
      }
    }
  }
  return findings;
}
