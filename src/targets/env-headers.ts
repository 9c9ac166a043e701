/** SOCKETPROOF_HEADER_<NAME>=value → header <name>: value (underscores become dashes). Never from a target file. */
export function headersFromEnv(env = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^SOCKETPROOF_HEADER_(.+)$/.exec(k);
    if (m?.[1] && v) headers[m[1].toLowerCase().replaceAll('_', '-')] = v;
  }
  return headers;
}
