/**
 * Which `location` nginx picks for a URI, as `ngx_http_core_find_location()` does
 * (https://nginx.org/en/docs/http/ngx_http_core_module.html#location): an exact `=` match wins at once; otherwise
 * the longest prefix is remembered (searching the locations nested in it first); `^~` on that prefix stops the
 * search; otherwise regular expressions (`~`, `~*` case-insensitive) are tried in the order they appear, the
 * first match wins, and when none matches the remembered prefix is used. Named locations (`@x`) never match a URI.
 * nginx's regular expressions are PCRE; a pattern JavaScript cannot compile is skipped.
 */
import type { NginxDirective } from './parser';
import { type Chain, children } from './tree';

export type Modifier = '=' | '^~' | '~' | '~*' | '' | '@';

export interface Location {
  directive: NginxDirective;
  modifier: Modifier;
  path: string;
  /** `[http, server, …, this location]`. */
  chain: Chain;
}

export function locationOf(directive: NginxDirective, parentChain: Chain): Location {
  const [first, second] = directive.args;
  const mod = first?.value ?? '';
  const chain = [...parentChain, directive];
  if (['=', '^~', '~', '~*'].includes(mod) && second) return { directive, modifier: mod as Modifier, path: second.value, chain };
  if (mod.startsWith('@')) return { directive, modifier: '@', path: mod, chain };
  // nginx also accepts the modifier glued to the path (`=/x`, `~^/x`).
  for (const m of ['=', '^~', '~*', '~'] as const) {
    if (mod.startsWith(m) && mod.length > m.length) return { directive, modifier: m, path: mod.slice(m.length), chain };
  }
  return { directive, modifier: '', path: mod, chain };
}

/** The locations directly inside a block (a server or a location). */
export function locationsIn(chain: Chain): Location[] {
  return children(chain.at(-1), 'location').map((d) => locationOf(d, chain));
}

/** Every location of a server, nested ones included, in config order. */
export function allLocations(serverChain: Chain): Location[] {
  return locationsIn(serverChain).flatMap((l) => [l, ...allLocations(l.chain)]);
}

function regexMatches(loc: Location, uri: string): boolean {
  try {
    return new RegExp(loc.path, loc.modifier === '~*' ? 'i' : '').test(uri);
  } catch {
    return false;
  }
}

interface Found {
  location?: Location;
  /** true when the search is over (exact, `^~`, or a regex matched). */
  final: boolean;
}

function find(chain: Chain, uri: string): Found {
  const here = locationsIn(chain);
  const exact = here.find((l) => l.modifier === '=' && l.path === uri);
  if (exact) return { location: exact, final: true };
  let best: Location | undefined;
  for (const l of here) {
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  }
  if (best) {
    const nested = find(best.chain, uri);
    if (nested.final) return nested;
    if (best.modifier === '^~') return { location: nested.location ?? best, final: true };
    if (nested.location) best = nested.location;
  }
  const regex = here.find((l) => (l.modifier === '~' || l.modifier === '~*') && regexMatches(l, uri));
  if (regex) return { location: regex, final: true };
  return { location: best, final: false };
}

/** The location nginx uses for `uri` in this server, or undefined (nginx then serves its root, usually a 404). */
export function selectLocation(serverChain: Chain, uri: string): Location | undefined {
  return find(serverChain, uri).location;
}
