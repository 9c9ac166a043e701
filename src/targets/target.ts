/**
 * A target is data: a YAML file in `targets/` validated against `targets/target.schema.json`.
 * Checks learn everything about a target from this and from its endpoints.
 */

export type HopName = string;

export interface Hop {
  /** `pod` (the app process directly), `pod-nginx` (the in-pod proxy), `lb` (the load balancer / ingress), or any name. */
  name: HopName;
  /** Base URL of the hop (scheme, host, port). For the embedded target it is filled in by the topology fixture. */
  url: string;
  /** Whether this hop answers the health path (the app process itself does not: nginx does). */
  health: boolean;
  /** Whether a browser test runs through this hop (the hop users reach). */
  browser: boolean;
  /** Whether several replicas sit behind this hop (so session continuity is meaningful and must hold). */
  balanced: boolean;
  /**
   * The app page and Socket.IO path AT THIS HOP, when a proxy in front of it rewrites them (the app itself behind a
   * prefix-stripping nginx listens at `/`); default the target's.
   */
  appPath?: string;
  socketPath?: string;
}

export interface ExpectedProtocol {
  eio: number;
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
  /** Namespace the app's frontend connects, e.g. `/services` for Theia. */
  namespace: string;
}

/** GKE BackendConfig sessionAffinity types that keep a Socket.IO session on one pod. */
export type GkeAffinityType = 'CLIENT_IP' | 'GENERATED_COOKIE';

/**
 * The target's Kubernetes side, for the cluster checks and fixes. Without `kubeconfig` the suite's own local
 * control plane (or, without one, the manifest files) stands in for the cluster.
 */
export interface TargetCluster {
  /** Path to a kubeconfig (never the credentials themselves); absent = the suite's local control plane. */
  kubeconfig?: string;
  context?: string;
  namespace: string;
  /** Names of the production objects; default `theia` (Deployment, Service, Ingress) and `theia-backendconfig`. */
  objects?: { deployment?: string; service?: string; backendConfig?: string; ingress?: string };
  /** The Service port (name or number) the Ingress must route to: the in-pod nginx. Default `http`. */
  servicePort?: string | number;
  /** Paths the Ingress must route to that port. Default `/` and the app path. */
  paths?: string[];
  /** The BackendConfig affinity the target requires. */
  affinity: GkeAffinityType;
  /**
   * How long a real session lasts, in seconds (Theia: 3600): BackendConfig timeoutSec must be at least this.
   * Unscaled, unlike `sessionLengthMs`, which the local target scales down for fast lifetime checks.
   */
  sessionLengthSeconds: number;
  /** The manifest set (kind/manifests/<set>/) that is the desired state: drift is measured against it. */
  desired?: string;
  /** Write protection: fixes and rollbacks refuse a production cluster unless explicitly confirmed. */
  production: boolean;
}

export interface Target {
  name: string;
  /** `embedded`: the suite starts the local topology and fills in hop URLs. `remote`: URLs are in the file. */
  kind: 'embedded' | 'remote';
  description?: string;
  /**
   * What the app is: `theia` (connection cookie, `/services`, a terminal in the browser), `socket.io` (any Socket.IO 4
   * app: the browser check asserts the page's own connection), `auto` (decided from what the app serves).
   */
  app: 'theia' | 'socket.io' | 'auto';
  /** Protocol values learned from the first handshake rather than declared (the ad-hoc target). */
  learn?: ('pingInterval' | 'pingTimeout' | 'maxPayload' | 'namespace')[];
  /** Team that owns the service (Allure owner label). */
  owner?: string;
  /** The app page (Theia's frontend), with trailing slash; a first GET of it hands out the connection cookie. */
  appPath: string;
  /** Socket.IO path, with trailing slash. */
  socketPath: string;
  healthPath: string;
  /** JSON body the health endpoint must answer with (a subset match). */
  healthBody: Record<string, unknown>;
  expect: ExpectedProtocol;
  /** Name of the cookie the app hands out and requires on Socket.IO requests (Theia's connection token). */
  connectionCookie?: string;
  /**
   * Header the app's frontend sends its page origin in on polling requests. Browsers send no Origin on a
   * same-origin GET, so Theia's frontend adds `fix-origin`; `origin` for apps that rely on the browser's header.
   */
  originHeader: string;
  /** Response header naming the replica that answered, when the app exposes one (diagnosis only). */
  replicaHeader?: string;
  /** How long a WebSocket session must stay up (the lifetime check), in ms. */
  sessionLengthMs: number;
  /** Session continuity: how many clients, how many requests each after the handshake. */
  continuity: { clients: number; requestsPerClient: number };
  /** Source addresses clients may bind to (loopback aliases locally), so client-IP affinity is exercised. */
  sourceAddresses: string[];
  browser: {
    command: string;
    selectors: { terminal: string; input: string };
    /** Selector present once the app is usable (real Theia: `#theia-app-shell`). */
    ready?: string;
    /** Selector of a loading overlay that must be gone before input (real Theia: `.theia-preload`). */
    preload?: string;
    /** Keys that open a terminal, when the page does not show one (real Theia: Control+Shift+Backquote). */
    openTerminal?: string;
    /** How long each browser step may wait (load, upgrade, ready, terminal, echo); default 8000 ms. */
    deadlineMs?: number;
    /**
     * How a terminal is opened (src/checks/browser-drivers.ts): `selectors` (default: ready/preload selectors, then the
     * openTerminal keys) or `theia` (main menu Terminal → New Terminal as Theia's own system tests do; a
     * workspace-trust dialog is declined).
     */
    driver?: 'selectors' | 'theia';
  };
  /** A production target: no fault injection, no writes, only `@smoke` checks are meant for it. */
  readOnly: boolean;
  hops: Hop[];
  /** Settings of the embedded topology (kind: embedded). */
  embedded?: {
    /** HTTPS at the load balancer for a real hostname mapped to loopback, with a CA the suite generates and trusts. */
    tls?: { hostname: string };
    /**
     * Where the app itself listens behind the pod's proxy (Theia's default: `/`). Without it, a user's own pod
     * config decides (SOCKETPROOF_POD_NGINX_CONF: the app is served where that config sends the app path).
     */
    appServedAt?: string;
    /** The app in each pod: the mock Theia (default), or the real Theia 1.74.1 built by `npm run theia:build`. */
    app?: 'mock-theia' | 'theia';
  };
  /**
   * Authentication a real production needs, taken from the environment (CI secrets), never written in the file:
   * header name → name of the environment variable holding its value.
   */
  auth?: { headers?: Record<string, string> };
  /** The Kubernetes side (cluster checks, fixes); see TargetCluster. */
  cluster?: TargetCluster;
}
