import type { MockTheiaSettings } from '../types';

/** What one mock Theia process needs: the topology-wide settings plus its own identity and port. */
export interface MockTheiaOptions extends MockTheiaSettings {
  /** Reported in `X-Socketproof-Pod` and the `hello` event, so a check can tell which replica answered. */
  podName: string;
  /** 0 or absent = ephemeral (the listening line / return value tells the real one). */
  port?: number;
  /**
   * Fixed connection token instead of a random UUID per start. Real Theia never shares one; only for deterministic
   * tests or to isolate the token effect from affinity faults when several replicas run.
   */
  connectionToken?: string;
}

/** Real Eclipse Theia values (websocket-endpoint.ts); the local topology may scale the timings down. */
export const theiaDefaults: MockTheiaSettings = {
  basePath: '/theia/',
  socketPath: '/theia/socket.io/',
  pingInterval: 30_000,
  pingTimeout: 60_000,
  maxPayload: 1e8,
};

/** Theia's cookie name (1.74): every app response sets it, every Engine.IO handshake must carry it. */
export const TOKEN_COOKIE = 'theia-connection-token';
export const POD_HEADER = 'X-Socketproof-Pod';
