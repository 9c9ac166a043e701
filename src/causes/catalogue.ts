/**
 * The cause catalogue: every verdict names one of these, and the report groups failures by them.
 * Each cause has a runbook in docs/runbooks/<id>.md (what it is, how to confirm it, the fix, the rollback).
 */

export const causeIds = [
  'session-affinity',
  'upgrade-blocked',
  'connection-lifetime-cut',
  'cdn-caching',
  'wrong-path',
  'origin-rejected',
  'missing-connection-cookie',
  'health-endpoint-down',
  'protocol-mismatch',
  'malformed-request',
  'target-unreachable',
  // TLS and access refused before the app: the request never reached Socket.IO, so no Engine.IO code says why.
  'tls-untrusted-issuer',
  'tls-expired',
  'tls-name-mismatch',
  'tls-wrong-protocol',
  'auth-rejected',
  'unexpected-response',
  // Cluster findings (hop `cluster`): what the manifests say, before any traffic shows it.
  'backendconfig-not-attached',
  'ingress-routing',
  'draining-missing',
  'object-missing',
  'manifest-invalid',
  'manifest-drift',
] as const;

export type CauseId = (typeof causeIds)[number];

export interface Cause {
  id: CauseId;
  title: string;
  /** One sentence a platform engineer acts on. */
  likelyFix: string;
}

export const causes: Record<CauseId, Cause> = {
  'session-affinity': {
    id: 'session-affinity',
    title: 'No session affinity across replicas',
    likelyFix:
      'make every request of a session reach one replica: BackendConfig sessionAffinity (CLIENT_IP or GENERATED_COOKIE) with NEGs on GKE; the Service spec.sessionAffinity is ignored by the GKE load balancer',
  },
  'upgrade-blocked': {
    id: 'upgrade-blocked',
    title: 'WebSocket upgrade blocked',
    likelyFix:
      'forward the upgrade at every proxy: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"',
  },
  'connection-lifetime-cut': {
    id: 'connection-lifetime-cut',
    title: 'Connection lifetime cut by a timeout',
    likelyFix:
      'raise the backend timeout above the session length (GKE BackendConfig timeoutSec caps every WebSocket; default 30 s) and nginx proxy_read_timeout above pingInterval + pingTimeout',
  },
  'cdn-caching': {
    id: 'cdn-caching',
    title: 'A cache answers Socket.IO requests',
    likelyFix: 'disable the CDN for the Socket.IO path (BackendConfig cdn.enabled: false) or bypass caching for it',
  },
  'wrong-path': {
    id: 'wrong-path',
    title: 'Wrong Socket.IO path',
    likelyFix:
      'make the client path, the proxy location and the server path agree (Theia behind a prefix: <prefix>/socket.io/)',
  },
  'origin-rejected': {
    id: 'origin-rejected',
    title: 'Origin rejected by the server',
    likelyFix:
      'keep the Host header the browser sent (proxy_set_header Host $http_host) and list the public host in THEIA_HOSTS',
  },
  'missing-connection-cookie': {
    id: 'missing-connection-cookie',
    title: "The app's connection cookie does not reach the server",
    likelyFix:
      "let Set-Cookie and Cookie pass every proxy (Theia's theia-connection-token): no proxy_hide_header Set-Cookie, no cookie stripping at the CDN",
  },
  'health-endpoint-down': {
    id: 'health-endpoint-down',
    title: 'Health endpoint down',
    likelyFix: 'answer the health path in the pod (nginx location = /health) so the load balancer keeps the pod in service',
  },
  'protocol-mismatch': {
    id: 'protocol-mismatch',
    title: 'Protocol version or settings mismatch',
    likelyFix: 'align client and server Socket.IO major versions and the ping settings the target declares',
  },
  'malformed-request': {
    id: 'malformed-request',
    title: 'Malformed request (often a wrong validation command)',
    likelyFix: 'quote the URL (an unquoted & drops transport=polling) and send a GET for the handshake',
  },
  'target-unreachable': {
    id: 'target-unreachable',
    title: 'Target unreachable',
    likelyFix: 'check DNS, TLS and that the hop listens at the URL the target declares',
  },
  'tls-untrusted-issuer': {
    id: 'tls-untrusted-issuer',
    title: "TLS: the server's certificate is not signed by a trusted CA",
    likelyFix:
      "give the run the issuing CA: SOCKETPROOF_CA_FILE=<PEM file, one or several certificates> (Node and Chromium trust it); never disable verification",
  },
  'tls-expired': {
    id: 'tls-expired',
    title: "TLS: the server's certificate is expired or not yet valid",
    likelyFix: 'renew the certificate the load balancer serves (or fix the clock of the machine that judged it)',
  },
  'tls-name-mismatch': {
    id: 'tls-name-mismatch',
    title: 'TLS: the certificate does not name the host asked for',
    likelyFix: "serve a certificate whose subjectAltName lists the host users open, or open the app under one of the certificate's names",
  },
  'tls-wrong-protocol': {
    id: 'tls-wrong-protocol',
    title: 'TLS: HTTP and HTTPS mixed up (wrong scheme for the port)',
    likelyFix: 'use https:// for a port that speaks TLS and http:// for one that does not (check the hop URL and the load balancer listener)',
  },
  'auth-rejected': {
    id: 'auth-rejected',
    title: 'Refused by an authenticating proxy before the app (401/403)',
    likelyFix:
      "give the run the credential the identity-aware proxy expects: the target's auth variables (e.g. SOCKETPROOF_PRODUCTION_AUTHORIZATION) or SOCKETPROOF_HEADER_<NAME>=value",
  },
  'unexpected-response': {
    id: 'unexpected-response',
    title: 'Unexpected response',
    likelyFix: 'read the evidence attached to the verdict: the response did not match any known failure',
  },
  'backendconfig-not-attached': {
    id: 'backendconfig-not-attached',
    title: 'No BackendConfig applies to the Service',
    likelyFix:
      'annotate the Service with cloud.google.com/backend-config: \'{"default":"<name>"}\' naming a BackendConfig in its namespace; without one GKE applies its defaults (30 s timeout, no affinity)',
  },
  'ingress-routing': {
    id: 'ingress-routing',
    title: 'Ingress does not route to the combined Service',
    likelyFix:
      "route / and the app path to the combined Service's nginx port (the one answering /health and forwarding upgrades), not to Theia's own port",
  },
  'draining-missing': {
    id: 'draining-missing',
    title: 'No connection draining',
    likelyFix:
      'set BackendConfig connectionDraining.drainingTimeoutSec (e.g. 60) so a pod leaving the load balancer finishes its open sessions instead of cutting them',
  },
  'object-missing': {
    id: 'object-missing',
    title: 'A Kubernetes object the target declares is missing',
    likelyFix: 'apply the manifests (kind/manifests/) or correct the object names in the target file',
  },
  'manifest-invalid': {
    id: 'manifest-invalid',
    title: 'Invalid manifest value',
    likelyFix: 'fix the value the verdict names (an annotation that is not valid JSON, an unknown field value)',
  },
  'manifest-drift': {
    id: 'manifest-drift',
    title: "Live objects differ from the repo's manifests",
    likelyFix:
      'apply the desired manifests (server-side apply) or commit the live change to the repo; the verdict lists the fields that differ',
  },
};
