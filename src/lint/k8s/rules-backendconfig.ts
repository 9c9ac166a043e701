/**
 * BackendConfig settings judged by their effective value, as the cluster checks judge live objects
 * (src/cluster/backendconfig.ts): an absent timeoutSec is GKE's 30 s, which for a WebSocket is the connection's
 * maximum lifetime; cdn.enabled true puts Cloud CDN in front of Socket.IO polling; no connectionDraining cuts open
 * sessions on every rollout. Every BackendConfig of the run is judged (a BackendConfig exists only for GKE's load
 * balancer); one for a static-assets backend that may use CDN takes a suppression with its reason.
 */
import { GKE_DEFAULT_TIMEOUT_SEC, specOf } from '../../k8s/backendconfig-spec';
import type { Finding, LintOptions } from '../types';
import { manifestFinding } from './finding';
import { nameOf, type ManifestSet } from './model';

export function backendConfigRules(set: ManifestSet, options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const need = options.sessionSeconds;
  for (const md of set.ofKind('BackendConfig')) {
    const spec = specOf(md.object);
    const name = nameOf(md);
    const timeout =
      spec.timeoutSec === undefined
        ? `${name} sets no timeoutSec: GKE's ${GKE_DEFAULT_TIMEOUT_SEC} s default ends every WebSocket after ${GKE_DEFAULT_TIMEOUT_SEC} s, short of the ${need} s session (set timeoutSec: ${need})`
        : spec.timeoutSec < need
          ? `${name}: timeoutSec ${spec.timeoutSec} s ends every WebSocket before the ${need} s session does`
          : undefined;
    if (timeout) findings.push(manifestFinding('backendconfig-timeout', 'error', md, ['spec', 'timeoutSec'], timeout, { fix: 'backendconfig-timeout' }));
    if (spec.cdn?.enabled === true) {
      findings.push(
        manifestFinding('backendconfig-cdn', 'error', md, ['spec', 'cdn', 'enabled'], `${name} has cdn.enabled: true: Cloud CDN may answer Socket.IO polling requests`, {
          fix: 'cdn-off',
        }),
      );
    }
    if (!((spec.connectionDraining?.drainingTimeoutSec ?? 0) > 0)) {
      findings.push(
        manifestFinding(
          'backendconfig-draining',
          'warning',
          md,
          ['spec', 'connectionDraining', 'drainingTimeoutSec'],
          `${name} has no connectionDraining.drainingTimeoutSec: a rollout cuts every open session of a leaving pod at once`,
          { fix: 'connection-draining' },
        ),
      );
    }
  }
  return findings;
}
