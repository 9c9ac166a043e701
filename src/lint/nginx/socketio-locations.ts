/**
 * Which locations carry Socket.IO. A config rarely says so, and a rule that guesses wrong either misses the
 * location that breaks or accuses one that serves images. The order of evidence:
 *  1. the paths the user names (`--socket-path /theia/socket.io/`): the locations nginx picks for them;
 *  2. locations whose path mentions `socket.io`: those, and only those;
 *  3. otherwise the locations nginx picks for `/socket.io/` (Socket.IO's default path) and for `<prefix>socket.io/`
 *     under every prefix location (`/theia/` → `/theia/socket.io/`: Theia's client uses its page path + `socket.io`,
 *     eclipse-theia/theia packages/core/src/browser/messaging/ws-connection-source.ts).
 * Only locations that proxy (`proxy_pass`, also inside `if`/`limit_except`) count: a `return` never reaches the app.
 */
import type { NginxConfig, NginxDirective } from './parser';
import { allLocations, type Location, selectLocation } from './locations';
import { type ServerBlock, servers } from './tree';

export interface SocketIoLocation {
  server: ServerBlock;
  location: Location;
  /** The request paths that led here (empty when the location was chosen by its own path). */
  uris: string[];
}

export function proxyPass(location: NginxDirective): NginxDirective | undefined {
  const inside = (ds: NginxDirective[] | undefined): NginxDirective | undefined => {
    for (const d of ds ?? []) {
      if (d.name === 'proxy_pass') return d;
      if ((d.name === 'if' || d.name === 'limit_except') && d.block) {
        const found = inside(d.block);
        if (found) return found;
      }
    }
    return undefined;
  };
  return inside(location.block);
}

function candidateUris(locations: Location[]): string[] {
  const uris = new Set(['/socket.io/']);
  for (const l of locations) {
    if ((l.modifier === '' || l.modifier === '^~') && l.path.endsWith('/') && l.path !== '/') uris.add(`${l.path}socket.io/`);
  }
  return [...uris];
}

export function socketIoLocations(config: NginxConfig, socketPaths: string[]): SocketIoLocation[] {
  const found: SocketIoLocation[] = [];
  for (const server of servers(config)) {
    const locations = allLocations(server.chain);
    const byPath = new Map<NginxDirective, SocketIoLocation>();
    const add = (location: Location | undefined, uri?: string) => {
      if (!location || !proxyPass(location.directive)) return;
      const entry = byPath.get(location.directive) ?? { server, location, uris: [] };
      if (uri) entry.uris.push(uri);
      byPath.set(location.directive, entry);
    };
    const named = locations.filter((l) => l.path.includes('socket.io') || l.path.includes('socket\\.io'));
    if (socketPaths.length > 0) for (const uri of socketPaths) add(selectLocation(server.chain, uri), uri);
    else if (named.length > 0) for (const l of named) add(l);
    else for (const uri of candidateUris(locations)) add(selectLocation(server.chain, uri), uri);
    found.push(...byPath.values());
  }
  return found;
}
