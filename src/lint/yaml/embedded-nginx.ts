/**
 * nginx configs that live in ConfigMaps (`data: { nginx.conf: | … }`), mounted into the pod: a data key ending in
 * `.conf`, or naming nginx, holds one. Findings inside are pinned to the lines of the YAML file: a literal block
 * scalar (`|`, `|-`, `|+`) keeps its lines, each shifted by the block's indentation; any other scalar style
 * (quoted, folded) does not, and every finding in it points at the value's start.
 */
import { isMap, isPair, isScalar, type Scalar } from 'yaml';
import type { PositionMap } from '../nginx/parser';
import { locate, type ManifestDoc } from './documents';

export interface EmbeddedNginx {
  text: string;
  /** `<file>#ConfigMap/<name>/<key>` for messages; findings use the YAML file's own name. */
  label: string;
  map: PositionMap;
}

const holdsNginx = (key: string) => key.endsWith('.conf') || key.toLowerCase().includes('nginx');

/** The file offset of each content line of a literal block scalar, and the indentation the parser removed. */
function literalLines(node: Scalar): { lineStarts: number[]; indent: number } | undefined {
  const token = node.srcToken as { type?: string; offset: number; props?: { source: string }[]; source?: string } | undefined;
  if (node.type !== 'BLOCK_LITERAL' || token?.type !== 'block-scalar' || typeof token.source !== 'string') return undefined;
  const start = token.offset + (token.props ?? []).reduce((n, p) => n + p.source.length, 0);
  const raw = token.source.split('\n');
  const firstContent = raw.find((l) => l.trim() !== '') ?? '';
  const indent = firstContent.length - firstContent.trimStart().length;
  const lineStarts: number[] = [];
  let offset = start;
  for (const l of raw) {
    lineStarts.push(offset);
    offset += l.length + 1;
  }
  return { lineStarts, indent };
}

export function embeddedNginx(md: ManifestDoc): EmbeddedNginx[] {
  if (md.object.kind !== 'ConfigMap') return [];
  const data = locate(md, ['data']).node;
  if (!isMap(data)) return [];
  const found: EmbeddedNginx[] = [];
  for (const pair of data.items) {
    if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value)) continue;
    const key = String(pair.key.value);
    if (!holdsNginx(key) || typeof pair.value.value !== 'string') continue;
    const value = pair.value;
    const lines = literalLines(value);
    const linePos = (offset: number) => {
      const p = md.lineCounter.linePos(offset);
      return { line: p.line, column: p.col };
    };
    const map = lines
      ? (line: number, column: number) => linePos((lines.lineStarts[line - 1] ?? lines.lineStarts.at(-1) ?? 0) + lines.indent + column - 1)
      : () => linePos(value.range?.[0] ?? 0);
    found.push({ text: value.value as string, label: `ConfigMap ${md.object.metadata.name} key ${key}`, map });
  }
  return found;
}
