/**
 * The proxy settings a Socket.IO location needs, judged on the values nginx really applies there (effective.ts):
 * HTTP/1.1 and both Upgrade and Connection forwarded (nginx.org/en/docs/http/websocket.html; the
 * `map $http_upgrade $connection_upgrade` idiom recognised), the browser's Host kept (Theia's Origin check), a read
 * timeout above pingInterval + pingTimeout (socket.io docs), no cache and no buffering.
 */
import type { LintOptions } from '../types';
import { headerSet, headerValue, inherited, shadowedLevels } from './effective';
import { AnchoredFindings } from './findings';
import type { NginxConfig, NginxDirective } from './parser';
import type { SocketIoLocation } from './socketio-locations';
import { formatMs, parseNginxTime } from './time';
import { blocksNamed } from './tree';

/** Variables set by `map $http_upgrade $x { … }` and whether one of their values is "upgrade". */
function upgradeMaps(config: NginxConfig): Map<string, boolean> {
  const maps = new Map<string, boolean>();
  for (const { directive } of blocksNamed(config, 'map')) {
    const [source, result] = directive.args;
    if (source?.value !== '$http_upgrade' || !result) continue;
    const values = (directive.block ?? []).map((d) => (d.args[0]?.value ?? '').toLowerCase());
    maps.set(result.value, values.some((v) => v.includes('upgrade')));
  }
  return maps;
}

/** Why a Connection value does not carry the upgrade, or undefined when it does. */
function connectionProblem(value: string, maps: Map<string, boolean>): string | undefined {
  if (value.toLowerCase().includes('upgrade') && !value.startsWith('$')) return undefined;
  if (value === '$http_connection') return undefined;
  if (value.startsWith('$')) {
    const known = maps.get(value);
    if (known === true) return undefined;
    if (known === false) return `Connection is ${value}, but its map $http_upgrade never yields "upgrade"`;
    return `Connection is ${value}, which no \`map $http_upgrade ${value}\` defines`;
  }
  return value === '' ? 'Connection is not sent' : `Connection is "${value}"`;
}

/** The anchor of a header problem: the header's own directive, the list it is missing from, or the location. */
function headerAnchor(chainLocation: NginxDirective, level: NginxDirective | undefined, own?: NginxDirective): NginxDirective {
  if (own) return own;
  const first = level?.block?.find((d) => d.name === 'proxy_set_header');
  return first ?? chainLocation;
}

export function proxyRules(config: NginxConfig, socketLocations: SocketIoLocation[], options: LintOptions): AnchoredFindings {
  const out = new AnchoredFindings();
  const maps = upgradeMaps(config);
  const pingSum = options.pingIntervalMs + options.pingTimeoutMs;
  for (const { location } of socketLocations) {
    const chain = location.chain;
    const loc = location.directive;

    const version = inherited(chain, 'proxy_http_version');
    if (version.value !== '1.1') {
      const what = version.directive ? `proxy_http_version ${version.value}` : 'no proxy_http_version (nginx defaults to 1.0)';
      out.add('nginx-http-version', 'error', version.directive ?? loc, `${what}: the WebSocket upgrade needs proxy_http_version 1.1`, loc);
    }

    const set = headerSet(chain);
    const upgrade = headerValue(set, 'Upgrade');
    const connection = headerValue(set, 'Connection');
    const problems: string[] = [];
    if (upgrade.value !== '$http_upgrade' && maps.get(upgrade.value) === undefined) {
      problems.push(upgrade.value === '' ? 'Upgrade is not forwarded' : `Upgrade is "${upgrade.value}", not $http_upgrade`);
    }
    const connectionIssue = connectionProblem(connection.value, maps);
    if (connectionIssue) problems.push(connectionIssue);
    if (problems.length > 0) {
      const hidden = shadowedLevels(chain, set.level).filter((l) => {
        const outer = headerSet(chain.slice(0, chain.indexOf(l) + 1));
        return headerValue(outer, 'Upgrade').value === '$http_upgrade' || !connectionProblem(headerValue(outer, 'Connection').value, maps);
      });
      const levelNote = hidden.length
        ? ` (the ${hidden.map((l) => `${l.name} block at line ${l.line}`).join(' and ')} forwards them, but a level that sets any proxy_set_header inherits none from outer levels)`
        : '';
      out.add(
        'nginx-upgrade-headers',
        'error',
        headerAnchor(loc, set.level, connectionIssue ? connection.directive : upgrade.directive),
        `${problems.join('; ')}: add proxy_set_header Upgrade $http_upgrade and proxy_set_header Connection $connection_upgrade${levelNote}`,
        loc,
      );
    }

    const host = headerValue(set, 'Host');
    if (host.value !== '$host' && host.value !== '$http_host') {
      const what = host.directive ? `proxy_set_header Host ${host.value}` : `no Host in the proxy_set_header list that applies: nginx sends $proxy_host`;
      out.add('nginx-host-rewritten', 'error', headerAnchor(loc, set.level, host.directive), `${what}: keep the browser's Host ($http_host)`, loc);
    }

    const read = inherited(chain, 'proxy_read_timeout');
    const readMs = read.value === undefined ? 60_000 : parseNginxTime(read.value);
    if (readMs !== undefined && readMs <= pingSum) {
      const what = read.directive ? `proxy_read_timeout ${read.value}` : 'no proxy_read_timeout (nginx defaults to 60 s)';
      out.add(
        'nginx-read-timeout',
        'error',
        read.directive ?? loc,
        `${what} is not above pingInterval + pingTimeout (${formatMs(pingSum)}): raise it (the in-pod config uses 3600s)`,
        loc,
      );
    }

    const buffering = inherited(chain, 'proxy_buffering');
    if (buffering.directive && buffering.value?.toLowerCase() === 'on') {
      out.add('nginx-buffering', 'warning', buffering.directive, 'proxy_buffering on: set proxy_buffering off for Socket.IO', loc);
    }
    const cache = inherited(chain, 'proxy_cache');
    if (cache.directive && cache.value !== 'off') {
      out.add('nginx-cache', 'error', cache.directive, `proxy_cache ${cache.value}: never cache Socket.IO (proxy_cache off)`, loc);
    }
  }
  return out;
}
