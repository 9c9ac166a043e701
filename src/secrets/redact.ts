/**
 * Secrets never reach a report: header values that carry credentials are replaced, and so are token-looking
 * values in free text. Every attachment a check produces goes through here.
 */

const secretHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-auth-token',
  'x-api-key',
]);

export const redacted = '<redacted>';

export function isSecretHeader(name: string): boolean {
  return secretHeaders.has(name.toLowerCase());
}

/** Keeps cookie NAMES (they are useful evidence: "the connection cookie was sent") and hides their values. */
function redactCookieHeader(value: string): string {
  return value
    .split(/;\s*/)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const name = part.slice(0, eq);
      // Attributes such as Path=/ and SameSite=Strict are not secret and help read a Set-Cookie.
      return /^(path|domain|expires|max-age|samesite)$/i.test(name) ? part : `${name}=${redacted}`;
    })
    .join('; ');
}

export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'cookie' || lower === 'set-cookie') return redactCookieHeader(value);
  if (isSecretHeader(lower)) return redacted;
  return value;
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    out[name] = values.map((v) => redactHeaderValue(name, v)).join(name.toLowerCase() === 'set-cookie' ? ', ' : ',');
  }
  return out;
}

const tokenPatterns: RegExp[] = [
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /((?:token|password|secret|client-key-data|client-certificate-data)["']?\s*[:=]\s*["']?)[^\s"',;]+/gi,
  /(theia-connection-token=)[^;\s"]+/gi,
  /(GCLB=)[^;\s"]+/g,
];

/** Redacts credentials in free text (logs, frames, error messages). Extra literal secrets can be passed in. */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const pattern of tokenPatterns) out = out.replace(pattern, `$1${redacted}`);
  for (const secret of extraSecrets) if (secret.length >= 4) out = out.split(secret).join(redacted);
  return out;
}
