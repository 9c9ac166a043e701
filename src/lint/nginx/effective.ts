/**
 * The value a directive has at a location, following nginx's inheritance
 * (https://nginx.org/en/docs/http/ngx_http_proxy_module.html):
 *  - most directives (`proxy_http_version`, `proxy_read_timeout`, `proxy_buffering`, `proxy_cache`) inherit from
 *    the nearest enclosing level that sets them;
 *  - `proxy_set_header` is a LIST: "These directives are inherited from the previous configuration level if and
 *    only if there are no proxy_set_header directives defined on the current level." A location that sets one
 *    header loses every header of its server and http levels. With none anywhere, nginx sends its defaults:
 *    `Host $proxy_host` and `Connection close`.
 */
import type { NginxDirective } from './parser';
import { type Chain, children } from './tree';

export interface Inherited {
  /** The directive that applies, or undefined when nginx's default applies. */
  directive?: NginxDirective;
  /** Its first argument (lower-cased names are the caller's business). */
  value?: string;
}

/** The innermost level of `chain` that sets `name`; its last occurrence there. */
export function inherited(chain: Chain, name: string): Inherited {
  for (let i = chain.length - 1; i >= 0; i--) {
    const found = children(chain[i], name);
    const last = found.at(-1);
    if (last) return { directive: last, value: last.args[0]?.value };
  }
  return {};
}

export interface HeaderSet {
  /** The level whose proxy_set_header list applies (undefined: no level sets any, nginx's defaults apply). */
  level?: NginxDirective;
  /** header name (lower case) → its directive at that level. */
  headers: Map<string, NginxDirective>;
}

/** The proxy_set_header list in force at the innermost block of `chain`. */
export function headerSet(chain: Chain): HeaderSet {
  for (let i = chain.length - 1; i >= 0; i--) {
    const found = children(chain[i], 'proxy_set_header');
    if (found.length > 0) {
      const headers = new Map<string, NginxDirective>();
      for (const d of found) headers.set((d.args[0]?.value ?? '').toLowerCase(), d);
      return { level: chain[i], headers };
    }
  }
  return { headers: new Map() };
}

/** nginx's own values when no level sets the header (ngx_http_proxy_module: "By default, only two fields are redefined"). */
export const defaultProxyHeaders: Record<string, string> = { host: '$proxy_host', connection: 'close' };

/** The value nginx sends upstream for `header` at this chain ('' = the header is not sent). */
export function headerValue(set: HeaderSet, header: string): { value: string; directive?: NginxDirective } {
  const d = set.headers.get(header.toLowerCase());
  if (d) return { value: d.args[1]?.value ?? '', directive: d };
  return { value: defaultProxyHeaders[header.toLowerCase()] ?? '' };
}

/** The outer levels (beyond `level`) whose proxy_set_header lists `level` hides: nginx inherits none of them. */
export function shadowedLevels(chain: Chain, level: NginxDirective | undefined): NginxDirective[] {
  const at = level ? chain.indexOf(level) : -1;
  if (at <= 0) return [];
  return chain.slice(0, at).filter((l) => children(l, 'proxy_set_header').length > 0);
}
