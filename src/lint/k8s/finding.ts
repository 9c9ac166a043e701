/** A manifest finding pinned to a YAML path of its document (see yaml/documents.ts for how a path resolves). */
import type { Finding, Severity } from '../types';
import { locate, type ManifestDoc, type YamlPath } from '../yaml/documents';

export function manifestFinding(
  rule: string,
  severity: Severity,
  md: ManifestDoc,
  path: YamlPath,
  message: string,
  opts: { fix?: string; want?: 'key' | 'value' } = {},
): Finding {
  const p = locate(md, path, opts.want ?? 'value');
  return { rule, severity, file: md.file, line: p.line, column: p.column, message, ...(opts.fix ? { fix: opts.fix } : {}) };
}
