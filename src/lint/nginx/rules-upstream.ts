/**
 * Upstream balancing for Socket.IO: a session's requests must reach one server. Round robin over several servers
 * breaks polling ("Session ID unknown", socket.io docs "Using multiple nodes"); `hash` (on a cookie, a query key
 * or `$remote_addr`), `ip_hash` or `sticky` keep a session on one server. `ip_hash` keys on the first three
 * octets of an IPv4 address (nginx docs), so whole NATs land on one server: worth knowing, not an error.
 */
import type { Finding } from '../types';
import { AnchoredFindings } from './findings';
import type { NginxConfig, NginxDirective } from './parser';
import { proxyPass, type SocketIoLocation } from './socketio-locations';
import { blocksNamed, children } from './tree';

/** The upstream block a `proxy_pass` names (`http://pods/x` → `upstream pods`); none for a variable or an address. */
function upstreamOf(config: NginxConfig, pass: NginxDirective): NginxDirective | undefined {
  const url = pass.args[0]?.value ?? '';
  const name = url.replace(/^[a-z]+:\/\//, '').split(/[/:]/)[0] ?? '';
  if (name === '' || name.includes('$')) return undefined;
  return blocksNamed(config, 'upstream').find((u) => u.directive.args[0]?.value === name)?.directive;
}

const affinityDirectives = ['hash', 'ip_hash', 'sticky'];

export function upstreamRules(config: NginxConfig, socketLocations: SocketIoLocation[]): Finding[] {
  const out = new AnchoredFindings();
  for (const { directive } of blocksNamed(config, 'upstream')) {
    for (const d of children(directive, 'ip_hash')) {
      out.add('nginx-ip-hash', 'info', d, `upstream ${directive.args[0]?.value ?? ''} uses ip_hash: every client of one /24 (one NAT, one proxy) gets one server`);
    }
  }
  for (const { location } of socketLocations) {
    const pass = proxyPass(location.directive);
    const upstream = pass && upstreamOf(config, pass);
    if (!upstream) continue;
    const live = children(upstream, 'server').filter((s) => !s.args.some((a) => a.value === 'backup' || a.value === 'down'));
    const sticky = affinityDirectives.some((name) => children(upstream, name).length > 0);
    if (live.length >= 2 && !sticky) {
      out.add(
        'nginx-upstream-affinity',
        'error',
        upstream,
        `upstream ${upstream.args[0]?.value ?? ''} balances ${live.length} servers round robin: add affinity (hash on a cookie or $remote_addr)`,
        location.directive,
      );
    }
  }
  return out.findings();
}
