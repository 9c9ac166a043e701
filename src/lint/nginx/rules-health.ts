/**
 * The path the load balancer health-checks (BackendConfig healthCheck.requestPath, or the readiness probe GKE
 * copies it from) must get a 200 from the pod's nginx. nginx picks the location as it would for any request
 * (locations.ts): no location means nginx's own root (usually 404), a `return` that is not 2xx fails, and a
 * location that hands the path to the same upstream as Socket.IO leaves the app to answer it, which Theia cannot
 * (it has no health endpoint): the in-pod nginx should answer it itself.
 */
import type { Finding } from '../types';
import type { NginxDirective } from './parser';
import { selectLocation } from './locations';
import { proxyPass, type SocketIoLocation } from './socketio-locations';
import type { ServerBlock } from './tree';
import { describeLocation } from './tree';

function returnCode(location: NginxDirective): number | undefined {
  const ret = location.block?.find((d) => d.name === 'return');
  return ret ? Number(ret.args[0]?.value) : undefined;
}

export function healthRules(socketLocations: SocketIoLocation[], healthPaths: string[]): Finding[] {
  const findings: Finding[] = [];
  const servers = new Map<NginxDirective, { server: ServerBlock; appUpstreams: Set<string> }>();
  for (const s of socketLocations) {
    const entry = servers.get(s.server.server) ?? { server: s.server, appUpstreams: new Set<string>() };
    const pass = proxyPass(s.location.directive)?.args[0]?.value;
    if (pass) entry.appUpstreams.add(pass);
    servers.set(s.server.server, entry);
  }
  const at = (d: NginxDirective) => ({ file: d.file, line: d.line, column: d.column });
  for (const { server, appUpstreams } of servers.values()) {
    for (const path of healthPaths) {
      const location = selectLocation(server.chain, path);
      if (!location) {
        findings.push({
          rule: 'nginx-health-path',
          severity: 'error',
          ...at(server.server),
          message: `no location of this server matches the health check path ${path}: nginx serves it from its root (404)`,
        });
        continue;
      }
      const code = returnCode(location.directive);
      const pass = proxyPass(location.directive)?.args[0]?.value;
      if (code !== undefined && !(code >= 200 && code < 300)) {
        findings.push({
          rule: 'nginx-health-path',
          severity: 'error',
          ...at(location.directive),
          message: `the health check path ${path} gets ${code} from ${describeLocation(location.directive)}: the load balancer needs a 200`,
        });
      } else if (code === undefined && pass && appUpstreams.has(pass)) {
        findings.push({
          rule: 'nginx-health-path',
          severity: 'warning',
          ...at(location.directive),
          message: `the health check path ${path} falls through to ${describeLocation(location.directive)} and the app (${pass}), which must answer it itself (Theia has no health endpoint): answer it in nginx (location = ${path} { return 200; })`,
        });
      }
    }
  }
  return findings;
}
