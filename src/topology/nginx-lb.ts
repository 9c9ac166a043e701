/**
 * The load-balancer hop: an nginx that behaves like the GKE external Application Load Balancer in front of the pods,
 * as far as Socket.IO can tell (affinity, upgrade forwarding, timeouts, a CDN cache). GKE's backend-service timeout
 * is a connection LIFETIME, which nginx cannot express: the lifetime relay between this nginx and each pod does it.
 */
import { header, ms, type NginxCapacity } from './nginx-common';
import type { LoadBalancerSettings } from './types';

export interface LbBackend {
  /** Pod name (`pod-0`), also the value of the GCLB cookie that pins a client to it. */
  pod: string;
  /** Port the LB connects to on 127.0.0.1: the pod's nginx, or its lifetime relay. */
  port: number;
  /** Taken out of rotation (a pod being drained): no new request goes there, open connections stay. */
  down?: boolean;
}

export interface LbConfigPlace {
  listenPort: number;
  /** This nginx's own directory (pid, logs, temp files, CDN cache). */
  prefix: string;
  capacity?: NginxCapacity;
}

const upstreamName = (pod: string) => pod.replace(/\W/g, '_');

export function renderLbConfig(lb: LoadBalancerSettings, backends: LbBackend[], at: LbConfigPlace): string {
  const server = (b: LbBackend) => `        server 127.0.0.1:${b.port} max_fails=0${b.down ? ' down' : ''};`;
  const cookie = lb.affinity === 'cookie';
  const lines = [
    '# Load balancer in front of the pods, emulating the GKE ingress (rendered by src/topology/nginx-lb.ts).',
    header({ kind: 'local', prefix: at.prefix, capacity: at.capacity }),
    '',
    '    # max_fails=0: a refused connect while a pod starts must not take it out of rotation for 10 s.',
    '    upstream pods {',
    ...(lb.affinity === 'client-ip'
      ? [
          '        # CLIENT_IP affinity. Not ip_hash: it hashes 3 octets, every 127.0.0.x client would get one pod.',
          '        # Not `consistent`: its ring depends on the (random) pod ports; plain hash spreads the clients\' addresses',
          '        # over two pods the same way on every run (127.0.2.10 127.0.3.10 -> pod-0, 127.0.1.10 127.0.4.10 -> pod-1).',
          '        hash $remote_addr;',
        ]
      : []),
    ...backends.map(server),
    '    }',
    ...(cookie ? cookieAffinity(backends, server) : []),
    ...(lb.cdnCache ? ['', `    proxy_cache_path ${at.prefix}/cdn keys_zone=cdn:1m;`] : []),
    '',
    ...(lb.tls ? tlsDefaultServer(lb.tls, at.listenPort) : []),
    '    server {',
    ...(lb.tls
      ? [
          `        listen 127.0.0.1:${at.listenPort} ssl${lb.tls.http2 ? ' http2' : ''};`,
          `        server_name ${lb.tls.serverName};`,
          `        ssl_certificate ${lb.tls.certFile};`,
          `        ssl_certificate_key ${lb.tls.keyFile};`,
        ]
      : [`        listen 127.0.0.1:${at.listenPort};`]),
    ...(lb.requireAuthorization
      ? [
          '        # An identity-aware proxy: without the exact credential nothing reaches a pod, /health included.',
          `        if ($http_authorization != ${JSON.stringify(lb.requireAuthorization)}) { return 401; }`,
        ]
      : []),
    '',
    '        # Nothing is answered here, /health included: everything goes to a pod, as on GKE.',
    '        location / {',
    `            proxy_pass http://${cookie ? '$backend' : 'pods'};`,
    '            proxy_http_version 1.1;',
    ...(lb.forwardUpgrade
      ? ['            proxy_set_header Upgrade $http_upgrade;', '            proxy_set_header Connection $connection_upgrade;']
      : []),
    `            proxy_set_header Host ${lb.rewriteHost ?? '$http_host'};`,
    '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '            proxy_set_header X-Forwarded-Proto $scheme;',
    '            # An idle timeout; the lifetime cap (GKE timeoutSec) is the relay\'s job.',
    `            proxy_read_timeout ${ms(lb.idleTimeoutMs)};`,
    `            proxy_send_timeout ${ms(lb.idleTimeoutMs)};`,
    ...(lb.cdnCache ? cdnCache() : ['            proxy_buffering off;']),
    ...(cookie ? ['            add_header Set-Cookie $gclb_set_cookie always;'] : []),
    '        }',
    '    }',
    '}',
    '',
  ];
  return lines.join('\n');
}

/**
 * GENERATED_COOKIE affinity: a request carrying `GCLB=<pod>` goes to that pod, any other goes round robin and its
 * response sets GCLB to the pod that answered. nginx only knows that pod by `$upstream_addr` (its port); `add_header`
 * with an empty value adds nothing, so requests that already carry a valid cookie get no Set-Cookie.
 */
function cookieAffinity(backends: LbBackend[], server: (b: LbBackend) => string): string[] {
  return [
    ...backends.flatMap((b) => ['', `    upstream ${upstreamName(b.pod)} {`, server(b), '    }']),
    '',
    '    map $cookie_GCLB $backend {',
    '        default pods;',
    ...backends.map((b) => `        ${b.pod} ${upstreamName(b.pod)};`),
    '    }',
    '',
    '    # The last address in $upstream_addr is the one that answered (earlier ones failed).',
    '    map $upstream_addr $gclb_answered {',
    "        default '';",
    ...backends.map((b) => `        ~:${b.port}$ 'GCLB=${b.pod}; Path=/; HttpOnly';`),
    '    }',
    '',
    '    map $backend $gclb_set_cookie {',
    "        default '';",
    '        pods $gclb_answered;',
    '    }',
  ];
}

/**
 * A CDN in front of the app with the classic mistake: the cache key ignores the query string and origin headers
 * are ignored, so one cached polling answer (another client's sid) is served to everyone → "Session ID unknown".
 * Upgrades bypass the cache, as Cloud CDN does not cache WebSockets. Caching needs proxy buffering (nginx default).
 */
function cdnCache(): string[] {
  return [
    '            proxy_cache cdn;',
    '            proxy_cache_key $scheme$host$uri;',
    '            proxy_cache_valid 200 1m;',
    '            proxy_ignore_headers Cache-Control Expires Set-Cookie Vary;',
    '            proxy_cache_bypass $http_upgrade;',
    '            proxy_no_cache $http_upgrade;',
    '            add_header X-Cache-Status $upstream_cache_status always;',
  ];
}

/** Host-based routing: a request for any other host name is not this app's (421 Misdirected Request). */
function tlsDefaultServer(tls: NonNullable<LoadBalancerSettings['tls']>, port: number): string[] {
  return [
    '    server {',
    `        listen 127.0.0.1:${port} ssl default_server${tls.http2 ? ' http2' : ''};`,
    `        ssl_certificate ${tls.certFile};`,
    `        ssl_certificate_key ${tls.keyFile};`,
    "        return 421 'no such host here';",
    '    }',
    '',
  ];
}
