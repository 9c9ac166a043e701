/**
 * The link from a Service to its BackendConfig (ingress-gce pkg/annotations/service.go): the
 * `cloud.google.com/backend-config` annotation (or the older `beta.` one) is JSON `{"default": "<bc>"}` or
 * `{"ports": {"<port name or number>": "<bc>"}}`. GKE ignores an annotation that does not parse, a port key the
 * Service lacks, or a BackendConfig that does not exist, and applies its defaults (30 s timeout, no affinity); a
 * Service a GKE Ingress routes to without the annotation gets the same defaults.
 */
import { backendConfigAnnotations } from '../../k8s/backend-config-annotation';
import type { Finding } from '../types';
import { manifestFinding } from './finding';
import { annotationsOf, findServicePort, type ManifestSet, nameOf, record, routesTo } from './model';

export function serviceRules(set: ManifestSet): Finding[] {
  const findings: Finding[] = [];
  for (const md of set.ofKind('Service')) {
    const annotations = annotationsOf(md.object);
    const key = backendConfigAnnotations.find((a) => annotations[a] !== undefined);
    const name = nameOf(md);
    if (!key) {
      const routes = routesTo(set, md, 'gke');
      if (routes.length > 0) {
        findings.push(
          manifestFinding(
            'backend-config-missing',
            'error',
            md,
            ['metadata', 'name'],
            `${name} is routed by ${routes.map((r) => nameOf(r.ingress)).join(', ')} (GKE) but carries no cloud.google.com/backend-config: GKE's defaults apply (30 s timeout, no affinity)`,
            { fix: 'backendconfig-attach' },
          ),
        );
      }
      continue;
    }
    const raw = String(annotations[key]);
    const path = ['metadata', 'annotations', key];
    const bad = (message: string) => findings.push(manifestFinding('backend-config-ref', 'error', md, path, `${name} ${key}: ${message}`, { fix: 'backendconfig-attach' }));
    let parsed: { default?: unknown; ports?: Record<string, unknown> };
    try {
      parsed = JSON.parse(raw) as typeof parsed;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      bad(`${JSON.stringify(raw)} is not a JSON object: GKE ignores it`);
      continue;
    }
    const named: string[] = [];
    if (typeof parsed.default === 'string') named.push(parsed.default);
    for (const [port, bc] of Object.entries(record(parsed.ports))) {
      if (!findServicePort(md.object, /^\d+$/.test(port) ? Number(port) : port)) bad(`names port "${port}", which the Service does not have`);
      if (typeof bc === 'string') named.push(bc);
    }
    if (named.length === 0) bad(`${raw} names no BackendConfig ("default" or "ports")`);
    for (const bc of new Set(named)) {
      if (!set.find('BackendConfig', bc, md.object.metadata.namespace)) {
        bad(`names BackendConfig "${bc}", which is not in the linted files (namespace ${md.object.metadata.namespace ?? 'default'}): lint the folder that holds it`);
      }
    }
  }
  return findings;
}
