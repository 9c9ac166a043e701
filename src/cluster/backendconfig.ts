/**
 * The BackendConfig settings a Socket.IO app depends on, read from the BackendConfig that really applies (via
 * the Service annotation). Each setting is judged by its EFFECTIVE value: an absent timeoutSec is GKE's 30 s.
 */
import { VerdictBuilder } from '../checks/evidence';
import { type BackendConfigSpec, GKE_DEFAULT_TIMEOUT_SEC, specOf } from '../k8s/backendconfig-spec';
import type { Verdict } from '../verdict';
import { attachedBackendConfig, type ClusterCheckContext, clusterHop, isVerdict, readObject } from './context';
import { serviceRef } from './expectation';

export { type BackendConfigSpec, GKE_DEFAULT_TIMEOUT_SEC, specOf };

type Judge = (spec: BackendConfigSpec, v: VerdictBuilder, name: string, ctx: ClusterCheckContext) => Promise<Verdict> | Verdict;

/** Builds a BackendConfig check: resolve the attached BackendConfig (or fail with why none applies), then judge. */
function backendConfigCheck(check: string, expected: (ctx: ClusterCheckContext) => string, judge: Judge) {
  return async (ctx: ClusterCheckContext): Promise<Verdict> => {
    const v = new VerdictBuilder(check, clusterHop, expected(ctx));
    const bc = await attachedBackendConfig(ctx, v);
    if (isVerdict(bc)) return bc;
    return judge(specOf(bc), v, `BackendConfig ${bc.metadata.name}`, ctx);
  };
}

export const backendConfigCdnCheck = backendConfigCheck(
  'backendconfig-cdn',
  () => 'BackendConfig cdn.enabled is false or absent (a cache must not answer Socket.IO polling)',
  (spec, v, name) =>
    spec.cdn?.enabled === true
      ? v.fail('cdn-caching', `${name} has cdn.enabled: true: Cloud CDN may answer Socket.IO polling requests for the backend`)
      : v.pass(`${name}: cdn ${spec.cdn ? 'enabled: false' : 'not configured (off)'}`),
);

export const backendConfigAffinityCheck = backendConfigCheck(
  'backendconfig-affinity',
  (ctx) => `BackendConfig sessionAffinity.affinityType ${ctx.expect.affinity} (the Service's spec.sessionAffinity does not count)`,
  async (spec, v, name, ctx) => {
    const type = spec.sessionAffinity?.affinityType ?? 'NONE';
    if (type === ctx.expect.affinity) return v.pass(`${name}: sessionAffinity.affinityType ${type}`);
    // Say so when the Service "has affinity": the classic belief that it is enough (kubernetes#53886).
    const service = await readObject(ctx, v, serviceRef(ctx.expect));
    const svcAffinity = isVerdict(service) ? undefined : (service.spec as { sessionAffinity?: string } | undefined)?.sessionAffinity;
    const trap =
      svcAffinity && svcAffinity !== 'None' ? `; the Service's spec.sessionAffinity ${svcAffinity} does not help: the GKE load balancer ignores it` : '';
    const what =
      type === 'NONE'
        ? `${name} sets no session affinity: the load balancer spreads one session's polling requests over the pods (400 "Session ID unknown")`
        : `${name} has affinityType ${type}, the target requires ${ctx.expect.affinity}`;
    return v.fail('session-affinity', `${what}${trap}`);
  },
);

export const backendConfigTimeoutCheck = backendConfigCheck(
  'backendconfig-timeout',
  (ctx) => `BackendConfig timeoutSec ≥ ${ctx.expect.sessionLengthSeconds} s (the session length): for a WebSocket it caps the connection's lifetime`,
  (spec, v, name, ctx) => {
    const need = ctx.expect.sessionLengthSeconds;
    if (spec.timeoutSec === undefined) {
      return v.fail(
        'connection-lifetime-cut',
        `${name} sets no timeoutSec: GKE's default ${GKE_DEFAULT_TIMEOUT_SEC} s cuts every WebSocket after ${GKE_DEFAULT_TIMEOUT_SEC} s, short of the ${need} s session`,
      );
    }
    return spec.timeoutSec >= need
      ? v.pass(`${name}: timeoutSec ${spec.timeoutSec} s ≥ ${need} s`)
      : v.fail('connection-lifetime-cut', `${name}: timeoutSec ${spec.timeoutSec} s cuts every WebSocket before the ${need} s session ends`);
  },
);

export const backendConfigDrainingCheck = backendConfigCheck(
  'backendconfig-draining',
  () => 'BackendConfig connectionDraining.drainingTimeoutSec > 0 (open sessions survive a pod leaving the load balancer)',
  (spec, v, name) => {
    const s = spec.connectionDraining?.drainingTimeoutSec ?? 0;
    return s > 0
      ? v.pass(`${name}: connectionDraining.drainingTimeoutSec ${s} s`)
      : v.fail('draining-missing', `${name} has no connection draining: a rollout or scale-down cuts every open session at once`);
  },
);

export const backendConfigHealthCheck = backendConfigCheck(
  'backendconfig-health-check',
  (ctx) => `BackendConfig healthCheck.requestPath ${ctx.expect.healthPath} (the in-pod nginx answers it; Theia does not)`,
  (spec, v, name, ctx) => {
    const path = spec.healthCheck?.requestPath;
    if (path === ctx.expect.healthPath) return v.pass(`${name}: healthCheck ${spec.healthCheck?.type ?? 'HTTP'} ${path}`);
    return v.fail(
      'health-endpoint-down',
      path
        ? `${name} health-checks ${path}, not ${ctx.expect.healthPath}`
        : `${name} sets no healthCheck.requestPath: GKE infers one from the readiness probe or uses /, which may not answer 200`,
    );
  },
);
