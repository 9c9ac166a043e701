/** Field-level differences between two objects, for drift reports: `.spec.timeoutSec: 3600 → (absent)`. */

export interface FieldDiff {
  /** `.spec.rules[0].http.paths[1].backend.service.port.name` */
  path: string;
  from: unknown;
  to: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf where `from` and `to` differ; arrays of different length are one difference. */
export function diffObjects(from: unknown, to: unknown, path = ''): FieldDiff[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => diffObjects(from[k], to[k], `${path}.${k}`));
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((item, i) => diffObjects(item, to[i], `${path}[${i}]`));
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path: path || '.', from, to }];
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

export function formatDiff(d: FieldDiff): string {
  return `${d.path}: ${show(d.from)} → ${show(d.to)}`;
}

/**
 * The fields `desired` sets that `live` does not hold with the same value (extra live fields are fine): drift
 * as far as a read-only user can see it, without the server's dry run (which needs patch permission).
 */
export function missingFields(desired: unknown, live: unknown, path = ''): FieldDiff[] {
  if (isPlainObject(desired) && isPlainObject(live)) {
    return Object.keys(desired)
      .sort()
      .flatMap((k) => missingFields(desired[k], live[k], `${path}.${k}`));
  }
  if (Array.isArray(desired) && Array.isArray(live) && desired.length === live.length) {
    return desired.flatMap((item, i) => missingFields(item, live[i], `${path}[${i}]`));
  }
  return JSON.stringify(desired) === JSON.stringify(live) ? [] : [{ path: path || '.', from: live, to: desired }];
}
