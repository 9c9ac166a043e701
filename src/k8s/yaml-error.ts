/**
 * The one line a YAML parse error becomes: ` (line N): <the parser's first sentence>`, without the parser's code
 * frame or its repeated position. Shared by the manifest loader and the linter, so both say it the same way.
 */
import type { YAMLError } from 'yaml';

export function yamlErrorSuffix(error: YAMLError): string {
  const where = error.linePos?.[0] ? ` (line ${error.linePos[0].line})` : '';
  // The parser's first line ends with ':' before a code frame; the line number is already in `where`.
  const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return `${where}: ${reason}`;
}
