/**
 * Every failure talking to a cluster becomes a ClusterError with ONE line that says what was attempted, on which
 * object, and why it failed, taken from the API server's Status (never the client's multi-line dump, which also
 * carries response headers). Credentials never appear: messages name the server, context and user only.
 */
import { ApiException } from '@kubernetes/client-node';

export interface FieldConflict {
  /** The field manager that owns the field (`kubectl`, `kubectl-client-side-apply`, `socketproof-manifests`). */
  manager: string;
  /** The field path as the API server names it, e.g. `.spec.cdn.enabled`. */
  field: string;
  /** The object it is on (`BackendConfig theia/theia-backendconfig`), when known. */
  object?: string;
}

export interface ClusterErrorDetails {
  /** HTTP status of the API server's answer, when there was one. */
  code?: number;
  /** The Status reason: Conflict, Invalid, Forbidden, NotFound, … or `Unreachable`, `KindNotServed`, `Config`. */
  reason?: string;
  conflicts?: FieldConflict[];
}

export class ClusterError extends Error {
  constructor(
    message: string,
    readonly details: ClusterErrorDetails = {},
  ) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'ClusterError';
  }
}

interface Status {
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

function parseStatus(body: unknown): Status {
  if (typeof body === 'object' && body !== null) return body as Status;
  try {
    return JSON.parse(String(body)) as Status;
  } catch {
    return { message: String(body ?? '').trim() };
  }
}

/** `conflict with "m": .spec.x` causes → [{manager, field}] */
function conflictsOf(status: Status): FieldConflict[] {
  return (status.details?.causes ?? [])
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => ({ manager: /"([^"]+)"/.exec(c.message ?? '')?.[1] ?? 'unknown', field: c.field ?? '?' }));
}

const networkCodes = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|CERT|self.signed|SSL/i;

/**
 * `action` says what was attempted (`apply BackendConfig theia/x`), `server` where. Known shapes: field-manager
 * conflicts, validation errors, RBAC refusals, a kind the server does not serve (a missing CRD), network errors.
 */
export function toClusterError(error: unknown, action: string, server: string): ClusterError {
  if (error instanceof ClusterError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // KubernetesObjectApi first looks the kind up in discovery: a missing group answers 404, a group without the
  // kind gives "Unrecognized API version and kind". Both mean: no CRD for it on this server.
  const notServed = /^Unrecognized API version and kind: (\S+) (\S+)/.exec(message);
  const discovery = /^Failed to fetch resource metadata for (\S+)\/(\w+):/.exec(message);
  if (notServed || (discovery && error instanceof ApiException && error.code === 404)) {
    const [apiVersion, kind] = notServed ? [notServed[1], notServed[2]] : [discovery?.[1], discovery?.[2]];
    return new ClusterError(
      `${action}: the API server ${server} does not serve ${kind} (${apiVersion}): its CRD is not installed (kubectl get crd; the repo's CRDs are in kind/crds/)`,
      { code: 404, reason: 'KindNotServed' },
    );
  }
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    const conflicts = conflictsOf(status);
    const code = error.code;
    if (code === 409 && conflicts.length > 0) {
      const list = conflicts.map((c) => `field manager "${c.manager}" owns ${c.field}`).join('; ');
      return new ClusterError(
        `${action}: conflict: ${list} (another manager set a different value; re-apply with force to take the field over)`,
        { code, reason: 'Conflict', conflicts },
      );
    }
    const text = (status.message || `HTTP ${code}`).replace(/\s+/g, ' ').trim();
    return new ClusterError(`${action}: ${status.reason ?? `HTTP ${code}`} (${code}): ${text}`, { code, reason: status.reason });
  }
  const code = (error as { code?: string }).code ?? '';
  if (networkCodes.test(`${code} ${message}`)) {
    const first = message.split('\n')[0] ?? '';
    const why = !code || first.includes(code) ? first : `${code}: ${first}`;
    return new ClusterError(`${action}: the API server ${server} is unreachable (${why})`, { reason: 'Unreachable' });
  }
  return new ClusterError(`${action}: ${message.split('\n')[0]}`);
}
