/**
 * The healthy topology: production's shape (two replicas, client-IP affinity, upgrade headers forwarded at every
 * hop, nginx answering /health) with Theia's ping timers scaled by 1/60 so lifetime checks take seconds, not minutes.
 * Faults and fixes are overrides of this.
 */
import type { TopologySettings } from './types';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function healthySettings(overrides: DeepPartial<TopologySettings> = {}): TopologySettings {
  const base: TopologySettings = {
    app: 'mock-theia',
    replicas: 2,
    lb: {
      affinity: 'client-ip',
      forwardUpgrade: true,
      lifetimeCapMs: null,
      // As the pod's nginx: an hour. A shorter idle timeout than pingInterval + pingTimeout cuts every quiet websocket.
      idleTimeoutMs: 3_600_000,
      cdnCache: false,
    },
    pod: { forwardUpgrade: true, healthEndpoint: true, dropSetCookie: false },
    theia: {
      basePath: '/theia/',
      socketPath: '/theia/socket.io/',
      pingInterval: 500, // Theia: 30000
      // Theia: 60000. Not scaled as far as pingInterval: a busy 2-core machine can stall a probe's pong by a second.
      pingTimeout: 5000,
      maxPayload: 1e8,
    },
  };
  return deepMerge(base, overrides);
}

/**
 * `overrides` on top of `base`: objects merge key by key, arrays and scalars replace, `undefined` keeps the base
 * value (so `{ lb: { rewriteHost: undefined } }` is a no-op) and `null` is a value (`lifetimeCapMs: null` = no cap).
 */
export function deepMerge<T>(base: T, overrides: DeepPartial<T> | undefined): T {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return (overrides ?? base) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
