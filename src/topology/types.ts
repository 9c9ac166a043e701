/**
 * The embedded local topology: N "pods" (in-pod nginx + mock Theia) behind a load-balancer hop that emulates the
 * GKE ingress. These settings are the knobs the faults and fixes turn; checks never read them (a check learns about
 * a target only through its endpoints and the target file).
 */
import type { NginxCapacity } from './nginx-common';

export type Affinity = 'none' | 'client-ip' | 'cookie';

export interface MockTheiaSettings {
  /** Where the app page is served, with trailing slash (Theia behind a prefix: `/theia/`). */
  basePath: string;
  /** Engine.IO path the server mounts, with trailing slash. Theia's frontend uses `basePath + 'socket.io'`. */
  socketPath: string;
  /** Theia: 30000 / 60000; scaled down for fast local runs. */
  pingInterval: number;
  pingTimeout: number;
  /** Theia: 1e8. */
  maxPayload: number;
  /**
   * With a user's own pod config: false = serve at basePath/socketPath as given (the target says where the app
   * listens); otherwise the app is served where that config sends those paths.
   */
  pathsFromConfig?: boolean;
  /** THEIA_HOSTS: when set, the Origin's host must be one of these (besides matching Host). */
  allowedHosts?: string[];
  /**
   * `security.workspace.trust.enabled`: the page shows Theia's modal trust dialog once the workbench is up (a
   * production Theia may; the local real Theia's build turns it off, so this turns it back on in its user settings).
   */
  workspaceTrust?: boolean;
}

export interface LoadBalancerSettings {
  /** GKE BackendConfig sessionAffinity: none | CLIENT_IP | GENERATED_COOKIE (cookie `GCLB`). */
  affinity: Affinity;
  /** Forward Upgrade/Connection headers (a proxy that drops them breaks the WebSocket upgrade). */
  forwardUpgrade: boolean;
  /** GKE backend service timeoutSec: the maximum LIFETIME of a connection, idle or not. null = no cap. */
  lifetimeCapMs: number | null;
  /** nginx proxy_read_timeout at the LB (an idle timeout, distinct from the lifetime cap). */
  idleTimeoutMs: number;
  /** CDN-style caching of GET responses with a cache key that ignores the query string. */
  cdnCache: boolean;
  /** A proxy that rewrites Host to this value (breaks Theia's Origin rule for browsers). */
  rewriteHost?: string;
  /**
   * HTTPS with host-based routing, like a production ingress: only `serverName` is routed to the pods; any other
   * Host gets 421. The certificate comes from a CA the suite generates and trusts explicitly.
   */
  tls?: {
    certFile: string;
    keyFile: string;
    serverName: string;
    /** HTTP/2 on the TLS listener, as GKE's LB offers: pages and polling go h2, a WebSocket still upgrades on HTTP/1.1. */
    http2?: boolean;
  };
  /** An identity-aware proxy in front of everything: a request without exactly this Authorization value gets 401. */
  requireAuthorization?: string;
  /**
   * Path of a user's own load-balancer nginx config to use instead of the emulated GKE ingress: its upstream servers
   * become the pods, its listen ports loopback ones (src/topology/nginx-lb-user.ts). The settings above are then
   * the config's business, except `lifetimeCapMs` (a relay between it and the pods).
   */
  nginxConfigFile?: string;
}

export interface PodSettings {
  forwardUpgrade: boolean;
  /** nginx answers `/health` with `{"status":"healthy"}`; false = the location is missing (health endpoint down). */
  healthEndpoint: boolean;
  /** A proxy that drops Set-Cookie (Theia's connection token never reaches the browser). */
  dropSetCookie: boolean;
  /**
   * A location of its own for the Socket.IO path that passes it on WITH the prefix (the socket.io docs' recipe copied
   * under a prefix), while the page's location strips it: with an app serving at `/` (the real Theia) the page loads
   * and every Socket.IO request meets the app's 404 — the wrong-path fault as it happens to a real Theia. No effect
   * when nothing is stripped (the mock serves under the prefix itself).
   */
  socketPrefixKept?: boolean;
  /**
   * Path of a user's own in-pod nginx config (production's) to use instead of the built-in template.
   * Its listen ports and upstream addresses are rewritten (see src/topology/nginx-config.ts).
   */
  nginxConfigFile?: string;
}

export interface TopologySettings {
  /**
   * The app in each pod: the mock Theia (the user asked for one; shaped like Theia 1.74), a plain Socket.IO 4
   * server with every default, served at `/` (a target the suite was not shaped after), or the real Theia 1.74.1
   * built by `npm run theia:build` (served at `/` by itself; the pod's nginx strips `theia.basePath`). With the real
   * Theia only `basePath` and `allowedHosts` (THEIA_HOSTS) of `theia` apply: its timers and paths are its own.
   */
  app: 'mock-theia' | 'plain-socketio' | 'theia';
  replicas: number;
  /** nginx sizing for a load run (src/load/capacity.ts); absent: the defaults every test runs with. */
  capacity?: NginxCapacity;
  lb: LoadBalancerSettings;
  pod: PodSettings;
  theia: MockTheiaSettings;
}

export interface RenderedConfig {
  name: string;
  text: string;
}

export interface PodEndpoints {
  name: string;
  /** Mock Theia process, direct (hop `pod`). */
  theiaUrl: string;
  /** In-pod nginx (hop `pod-nginx`). */
  nginxUrl: string;
}

export interface RunningTopology {
  settings: TopologySettings;
  pods: PodEndpoints[];
  /** Load-balancer hop (hop `lb`). */
  lbUrl: string;
  /** Base URL per hop name: pod (pod 0's Theia), pod-nginx (pod 0's nginx), lb. */
  hopUrls: Record<'pod' | 'pod-nginx' | 'lb', string>;
  /** Paths a hop serves where they differ from the clients' (the app itself behind a prefix-stripping pod nginx). */
  hopPaths: Partial<Record<'pod', { appPath: string; socketPath: string }>>;
  /** What the run's header should say about this topology (e.g. where the app listens, and why). */
  notes: string[];
  /** Every nginx config rendered for this topology (attached to reports on failure). */
  configs: RenderedConfig[];
  /** PIDs of every process started (nginx masters, mock Theia processes, relays). */
  pids(): number[];
  /** Output of every process (nginx error logs, Theia stdout/stderr) for the report on failure. */
  logs(): Promise<RenderedConfig[]>;
  /** Ends every process by PID and removes the prefix directories. Idempotent. */
  stop(): Promise<void>;
  /**
   * A pod going away as Kubernetes takes it away (a crash, an eviction, a node lost): its app AND its nginx end, so
   * the LB's connects to it are refused and it sends the pod's clients elsewhere. Resolves once both exited.
   */
  stopPod(pod: string): Promise<void>;
  /**
   * `nginx -s reload` of the load balancer (SIGHUP to its master): new workers take new connections, the old ones
   * keep theirs until they close. Resolves once a new worker has started and the old one stopped accepting.
   */
  reloadLb(): Promise<void>;
  /**
   * Connection draining as a load balancer does it for a pod leaving (GKE connectionDraining): the pod is taken out
   * of rotation (`down` in the LB's upstream, then a reload), so new sessions go elsewhere while the open ones
   * carry on until they end or the pod is stopped.
   */
  drainPod(pod: string): Promise<void>;
}
