/**
 * Which BackendConfig GKE applies to a Service port: the `cloud.google.com/backend-config` annotation (or the
 * older `beta.` one), JSON `{"ports": {"<name or number>": "<bc>"}, "default": "<bc>"}`, port entry first.
 * One resolver for the cluster checks (which report why none applies) and the traffic mapping (which then
 * emulates GKE's defaults).
 */
import type { K8sObject } from './objects';

export const backendConfigAnnotations = ['cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config'];

export type BackendConfigResolution =
  | { ok: true; name: string; annotation: string; raw: string }
  | { ok: false; why: 'no-annotation' | 'not-json' | 'no-entry'; annotation?: string; raw?: string };

interface PortEntry {
  name?: string;
  port: number;
}

function portEntry(service: K8sObject, port: string | number): PortEntry | undefined {
  const declared = (service.spec as { ports?: unknown } | undefined)?.ports;
  // A malformed manifest (ports not a list) resolves no port rather than throwing: the linter reads such files too.
  const ports = Array.isArray(declared) ? (declared as PortEntry[]) : [];
  return ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port || String(p.port) === port));
}

export function resolveBackendConfig(service: K8sObject, port: string | number): BackendConfigResolution {
  const annotation = backendConfigAnnotations.find((a) => service.metadata.annotations?.[a] !== undefined);
  const raw = annotation ? service.metadata.annotations?.[annotation] : undefined;
  if (!annotation || raw === undefined) return { ok: false, why: 'no-annotation' };
  let parsed: { default?: unknown; ports?: Record<string, unknown> };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  } catch {
    return { ok: false, why: 'not-json', annotation, raw };
  }
  const entry = portEntry(service, port);
  const byPort = entry ? (parsed.ports?.[entry.name ?? ''] ?? parsed.ports?.[String(entry.port)]) : undefined;
  const name = byPort ?? parsed.default;
  if (typeof name !== 'string' || name === '') return { ok: false, why: 'no-entry', annotation, raw };
  return { ok: true, name, annotation, raw };
}
