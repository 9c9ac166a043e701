/**
 * The rule catalogue: every rule's id, usual severity, what its finding means for Socket.IO, the fix (fixes/*.yaml)
 * that repairs it where one exists, and the upstream sources it rests on. Reports (text, JSON, SARIF) and the
 * README's rule table are read from here; a unit test keeps the fix ids loadable and the README in step.
 * Upstream files are pinned to the commit they were read at (see also k8s/annotation-registry.yaml).
 */
import type { Severity } from './types';

export interface RuleSource {
  title: string;
  url: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  /** What a finding means for a Socket.IO app (Theia first). */
  meaning: string;
  fix?: string;
  sources: RuleSource[];
}

const gh = (repo: string, commit: string, file: string) => `https://github.com/${repo}/blob/${commit}/${file}`;
export const INGRESS_GCE = { repo: 'kubernetes/ingress-gce', commit: 'acbcf5d66dd9d31297a2a52a2d7d83d4c1a94539' };
export const INGRESS_NGINX = { repo: 'kubernetes/ingress-nginx', commit: 'dbb11b92ddb77bee9c35e462479129354c84f939' };
const NGINX = { repo: 'nginx/nginx', commit: '32c7bd5102571ec20e45f620d2916e612e3b2016' };

const src = {
  gkeIngressConfig: {
    title: 'GKE: Ingress configuration on Google Cloud (BackendConfig parameters)',
    url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration',
  },
  backendConfigTypes: {
    title: 'ingress-gce pkg/apis/backendconfig/v1/types.go (BackendConfigSpec)',
    url: gh(INGRESS_GCE.repo, INGRESS_GCE.commit, 'pkg/apis/backendconfig/v1/types.go'),
  },
  serviceAnnotations: {
    title: 'ingress-gce pkg/annotations/service.go (BackendConfigKey, BetaBackendConfigKey)',
    url: gh(INGRESS_GCE.repo, INGRESS_GCE.commit, 'pkg/annotations/service.go'),
  },
  healthChecks: {
    title: 'ingress-gce pkg/healthchecks/healthchecks.go (health check from BackendConfig healthCheck)',
    url: gh(INGRESS_GCE.repo, INGRESS_GCE.commit, 'pkg/healthchecks/healthchecks.go'),
  },
  k8s53886: {
    title: 'kubernetes/kubernetes#53886: GKE Ingress ignores the Service sessionAffinity',
    url: 'https://github.com/kubernetes/kubernetes/issues/53886',
  },
  gce516: {
    title: 'kubernetes/ingress-gce#516: affinity per pod needs NEGs',
    url: 'https://github.com/kubernetes/ingress-gce/issues/516',
  },
  nginxAnnotationsDoc: {
    title: 'ingress-nginx docs/user-guide/nginx-configuration/annotations.md',
    url: gh(INGRESS_NGINX.repo, INGRESS_NGINX.commit, 'docs/user-guide/nginx-configuration/annotations.md'),
  },
  socketioReverseProxy: { title: 'Socket.IO: Behind a reverse proxy (nginx)', url: 'https://socket.io/docs/v4/reverse-proxy/' },
  socketioMultipleNodes: { title: 'Socket.IO: Using multiple nodes (sticky sessions)', url: 'https://socket.io/docs/v4/using-multiple-nodes/' },
  nginxWebsocket: { title: 'nginx: WebSocket proxying', url: 'https://nginx.org/en/docs/http/websocket.html' },
  proxySetHeader: {
    title: 'nginx: proxy_set_header (inherited only when the level sets none)',
    url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
  },
  proxyHttpVersion: { title: 'nginx: proxy_http_version (default 1.0)', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version' },
  proxyReadTimeout: { title: 'nginx: proxy_read_timeout (default 60s)', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout' },
  proxyBuffering: { title: 'nginx: proxy_buffering', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering' },
  proxyCache: { title: 'nginx: proxy_cache', url: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache' },
  ipHash: { title: 'nginx: ip_hash (first three octets of an IPv4 address)', url: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#ip_hash' },
  upstream: { title: 'nginx: upstream load balancing (round robin by default)', url: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html' },
  location: { title: 'nginx: location matching', url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#location' },
  include: { title: 'nginx src/core/ngx_conf_file.c (ngx_conf_include)', url: gh(NGINX.repo, NGINX.commit, 'src/core/ngx_conf_file.c') },
  theiaTimers: {
    title: 'eclipse-theia/theia websocket-endpoint.ts (pingInterval 30000, pingTimeout 60000)',
    url: gh('eclipse-theia/theia', '3d5610c328f5e4dfb19b80236ddb513572b3fbe5', 'packages/core/src/node/messaging/websocket-endpoint.ts'),
  },
  theiaOrigin: {
    title: "socketproof docs/runbooks/origin-rejected.md: Theia's Origin check (origin host must equal Host; observed on Theia 1.74.1)",
    url: 'docs/runbooks/origin-rejected.md',
  },
  theiaHosts: {
    title: 'eclipse-theia/theia ws-origin-validator.ts (THEIA_HOSTS)',
    url: gh('eclipse-theia/theia', '63d66679f5a681a83affb7361333134d5d55f8cd', 'packages/core/src/node/hosting/ws-origin-validator.ts'),
  },
  registry: { title: 'socketproof annotation registry (src/lint/k8s/annotation-registry.yaml: controller sources and commits)', url: 'src/lint/k8s/annotation-registry.yaml' },
  nginxServiceUpstream: {
    title: 'ingress-nginx annotations.md: service-upstream (by default nginx sends to the endpoints, not the Service)',
    url: `${gh(INGRESS_NGINX.repo, INGRESS_NGINX.commit, 'docs/user-guide/nginx-configuration/annotations.md')}#service-upstream`,
  },
} satisfies Record<string, RuleSource>;

export const rules: Rule[] = [
  {
    id: 'annotation-unknown',
    severity: 'warning',
    title: 'Annotation no controller reads',
    meaning:
      'Whatever it was meant to change is not changed: the controller ignores keys it does not know, silently. The effect it was meant to have is checked by the rule that reads the real setting (e.g. backendconfig-timeout).',
    sources: [src.registry],
  },
  {
    id: 'annotation-wrong-kind',
    severity: 'warning',
    title: 'Annotation on an object its controller does not read it from',
    meaning:
      'The controller reads this key on another kind (cloud.google.com/backend-config on the Service, not the Ingress): here it does nothing.',
    fix: 'backendconfig-attach',
    sources: [src.registry, src.serviceAnnotations],
  },
  {
    id: 'backend-config-missing',
    severity: 'error',
    title: 'Service behind a GKE Ingress without a BackendConfig',
    meaning:
      "No BackendConfig applies, GKE's defaults do: a 30 s backend timeout that ends every WebSocket after 30 s, and no session affinity (polling requests of one session reach different pods: 400 \"Session ID unknown\").",
    fix: 'backendconfig-attach',
    sources: [src.serviceAnnotations, src.gkeIngressConfig],
  },
  {
    id: 'backend-config-ref',
    severity: 'error',
    title: 'backend-config annotation that resolves to no BackendConfig',
    meaning: "GKE ignores an annotation that is not JSON, names a port the Service lacks or a BackendConfig that does not exist: its defaults apply (30 s timeout, no affinity).",
    fix: 'backendconfig-attach',
    sources: [src.serviceAnnotations, src.gkeIngressConfig],
  },
  {
    id: 'backendconfig-timeout',
    severity: 'error',
    title: 'BackendConfig timeoutSec missing or shorter than the session',
    meaning:
      'For a WebSocket the backend service timeout is the maximum LIFETIME of the connection, idle or not (default 30 s): every Socket.IO WebSocket is cut at that age and reconnects, Theia terminals drop.',
    fix: 'backendconfig-timeout',
    sources: [src.gkeIngressConfig, src.backendConfigTypes],
  },
  {
    id: 'backendconfig-cdn',
    severity: 'error',
    title: 'Cloud CDN on the Socket.IO backend',
    meaning:
      'A cache answers Socket.IO polling requests that belong to one session and one moment: clients get another session\'s packets or a stale handshake ("Session ID unknown").',
    fix: 'cdn-off',
    sources: [src.gkeIngressConfig, src.backendConfigTypes],
  },
  {
    id: 'backendconfig-draining',
    severity: 'warning',
    title: 'BackendConfig without connection draining',
    meaning: 'A rollout or scale-down cuts every open Socket.IO session of the leaving pod at once instead of letting them finish.',
    fix: 'connection-draining',
    sources: [src.gkeIngressConfig, src.backendConfigTypes],
  },
  {
    id: 'service-affinity-ignored',
    severity: 'error',
    title: 'Service sessionAffinity the load balancer ignores',
    meaning:
      'The GKE load balancer (and ingress-nginx, which sends to the endpoints) ignores the Service\'s spec.sessionAffinity: without affinity where the balancing happens, a session\'s polling requests reach different pods (400 "Session ID unknown"). With affinity configured there, the Service setting is only harmless (info).',
    fix: 'backendconfig-session-affinity',
    sources: [src.k8s53886, src.gce516, src.nginxServiceUpstream],
  },
  {
    id: 'replicas-without-affinity',
    severity: 'error',
    title: 'Several replicas and no session affinity anywhere',
    meaning:
      'Socket.IO clients start with HTTP long-polling (Theia always does): every request of a session must reach the process that created its sid, or it gets 400 "Session ID unknown". The manifests cannot say that clients are WebSocket-only.',
    fix: 'backendconfig-session-affinity',
    sources: [src.socketioMultipleNodes, src.gkeIngressConfig, src.nginxAnnotationsDoc],
  },
  {
    id: 'health-check-port-mismatch',
    severity: 'error',
    title: 'Traffic goes to a port the load balancer does not health-check',
    meaning:
      'The load balancer checks one container and sends Socket.IO to another: on the combined pod that is traffic past the in-pod nginx (which answers /health and forwards the upgrade), and a pod whose serving container is down still gets traffic.',
    fix: 'routing-to-combined-service',
    sources: [src.healthChecks, src.gkeIngressConfig],
  },
  {
    id: 'nginx-http-version',
    severity: 'error',
    title: 'Socket.IO location proxies with HTTP/1.0',
    meaning: 'nginx talks HTTP/1.0 to the upstream by default, which has no Upgrade: the WebSocket upgrade fails and Socket.IO stays on polling (or fails with code 3).',
    sources: [src.proxyHttpVersion, src.nginxWebsocket, src.socketioReverseProxy],
  },
  {
    id: 'nginx-upgrade-headers',
    severity: 'error',
    title: 'Socket.IO location does not forward Upgrade and Connection',
    meaning:
      'Upgrade and Connection are hop-by-hop headers nginx does not pass on by itself: without both, the server sees a plain GET and Engine.IO answers 400 "Bad request" (code 3); clients silently stay on polling.',
    sources: [src.nginxWebsocket, src.proxySetHeader, src.socketioReverseProxy],
  },
  {
    id: 'nginx-read-timeout',
    severity: 'error',
    title: 'proxy_read_timeout not above pingInterval + pingTimeout',
    meaning:
      'nginx closes a connection whose upstream sends nothing for proxy_read_timeout (default 60 s); it must exceed pingInterval + pingTimeout (Theia: 30 s + 60 s) or quiet sessions end with "transport close".',
    sources: [src.socketioReverseProxy, src.proxyReadTimeout, src.theiaTimers, src.nginxAnnotationsDoc],
  },
  {
    id: 'nginx-host-rewritten',
    severity: 'error',
    title: 'Host sent upstream is not the Host the browser sent',
    meaning:
      "Theia rejects a connection whose Origin host differs from its Host (403 on polling, 400 on the upgrade): the Host must reach it unchanged ($host or $http_host). nginx's default is $proxy_host, the upstream's address.",
    sources: [src.theiaOrigin, src.theiaHosts, src.proxySetHeader, src.socketioReverseProxy],
  },
  {
    id: 'nginx-buffering',
    severity: 'warning',
    title: 'proxy_buffering on for the Socket.IO location',
    meaning: 'Buffered long-polling answers reach the client late, which slows every polling round trip (Socket.IO messages, pings).',
    sources: [src.proxyBuffering, src.socketioReverseProxy],
  },
  {
    id: 'nginx-cache',
    severity: 'error',
    title: 'A cache on the Socket.IO location',
    meaning: "A cached polling answer is another session's: clients get 400 \"Session ID unknown\" or a stale handshake.",
    sources: [src.proxyCache],
  },
  {
    id: 'nginx-ip-hash',
    severity: 'info',
    title: 'ip_hash: affinity by the first three octets',
    meaning: 'ip_hash keys on the /24 of an IPv4 client: every user behind one NAT or proxy lands on one pod, and a load balancer in front makes all clients one.',
    sources: [src.ipHash],
  },
  {
    id: 'nginx-upstream-affinity',
    severity: 'error',
    title: 'Socket.IO upstream with several servers and no affinity',
    meaning: 'Round robin spreads one session\'s polling requests over the servers: 400 "Session ID unknown".',
    sources: [src.upstream, src.socketioMultipleNodes],
  },
  {
    id: 'nginx-health-path',
    severity: 'error',
    title: 'The health check path is not answered by nginx',
    meaning:
      "The load balancer's health check gets no 200: pods are marked unhealthy and taken out (502 for every user), or the check is handed to the app, which may have no such endpoint (Theia has none).",
    sources: [src.location, src.healthChecks],
  },
  {
    id: 'nginx-include-unresolved',
    severity: 'info',
    title: 'include not followed',
    meaning: 'The included file is not here (or is an absolute path on the machine nginx runs on): the rules assume it sets nothing they look at.',
    sources: [src.include],
  },
  {
    id: 'lint-suppression',
    severity: 'warning',
    title: 'Suppression without a reason or for an unknown rule',
    meaning: 'A suppression must say why the finding does not apply here; one that does not is not applied.',
    sources: [{ title: 'socketproof README: Lint, suppression', url: 'README.md#lint' }],
  },
];

export const ruleIds = rules.map((r) => r.id);

export function rule(id: string): Rule {
  const found = rules.find((r) => r.id === id);
  if (!found) throw new Error(`unknown lint rule "${id}"`);
  return found;
}
