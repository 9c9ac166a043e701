/**
 * The comments of a YAML file, read from the `yaml` package's concrete syntax tree (its Parser keeps every
 * `# …` token with its offset), so a `#` inside a quoted string or a block scalar is never taken for one.
 */
import { LineCounter, Parser } from 'yaml';

export interface SourceComment {
  /** Without the leading `#`. */
  text: string;
  line: number;
  column: number;
}

export function yamlComments(text: string): SourceComment[] {
  const lineCounter = new LineCounter();
  const found: { offset: number; source: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const token = node as { type?: string; offset?: number; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      found.push({ offset: token.offset, source: token.source });
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'source') walk(value);
  };
  const parser = new Parser(lineCounter.addNewLine);
  for (const token of parser.parse(text)) walk(token);
  return found
    .sort((a, b) => a.offset - b.offset)
    .map((c) => {
      const p = lineCounter.linePos(c.offset);
      return { text: c.source.slice(1), line: p.line, column: p.col };
    });
}
