/**
 * The target a load run drives, opened as the suite's runtime fixture opens it (fixtures/runtime.ts): a remote
 * target from its file and the environment (URL, auth headers, CA), an embedded one by starting its topology —
 * here with nginx sized for the run (src/load/capacity.ts) and, when asked, one fault of the matrix.
 */
import { proxyFromEnv } from '../probes/network';
import type { CheckContext } from '../checks/context';
import { discoverTarget } from '../targets/discover';
import { authHeaders, resolveEnvUrls, withHopUrls } from '../targets/load';
import type { Target } from '../targets/target';
import { targetAtHop } from '../targets/hop-paths';
import { caBundleFromEnv } from '../tls/ca-file';
import { ensureCertificates } from '../tls/certificates';
import { deepMerge } from '../topology/defaults';
import { certificatesDir, embeddedSettings } from '../runtime/embedded-settings';
import { headersFromEnv } from '../runtime/open';
import type { NginxCapacity } from '../topology/nginx-common';
import { startTopology } from '../topology/topology';
import type { RunningTopology, TopologySettings } from '../topology/types';

export interface OpenedTarget {
  ctx: CheckContext;
  topology?: RunningTopology;
}

export async function openLoadTarget(
  target: Target,
  opts: { hop?: string; fault?: string; capacity?: NginxCapacity; theiaTimers?: boolean; settings?: (s: TopologySettings) => TopologySettings },
): Promise<OpenedTarget> {
  const headers = { ...headersFromEnv(), ...authHeaders(target) };
  const extraCa = caBundleFromEnv()?.pems.join('');
  let opened: Target;
  let topology: RunningTopology | undefined;
  let ca = extraCa;
  let resolve: Record<string, string> | undefined;
  if (target.kind === 'remote') {
    opened = (await discoverTarget(resolveEnvUrls(target), { headers, ca: extraCa, proxy: proxyFromEnv() })).target;
  } else {
    let settings = deepMerge(embeddedSettings(target, { ...process.env, SOCKETPROOF_FAULT: opts.fault }), { capacity: opts.capacity });
    // Theia's own heartbeat (30 s / 60 s) instead of the target's 1/60 scale, which exists to keep lifetime checks
    // short: at 2000 sessions a 500 ms ping is 4000 pings a second, 60× what a production Theia sees.
    if (opts.theiaTimers) settings = deepMerge(settings, { theia: { pingInterval: 30_000, pingTimeout: 60_000 } });
    if (opts.settings) settings = opts.settings(settings);
    topology = await startTopology(settings);
    opened = withHopUrls(target, topology.hopUrls, topology.hopPaths);
    const tls = target.embedded?.tls;
    if (tls) {
      ca = [ensureCertificates(certificatesDir, tls.hostname).caPem, extraCa].filter(Boolean).join('') || undefined;
      resolve = { [tls.hostname]: '127.0.0.1' };
    }
  }
  // The hop users reach: the balanced one (the load balancer), unless another is named.
  const hop = opened.hops.find((h) => h.name === opts.hop) ?? opened.hops.find((h) => h.balanced) ?? opened.hops.at(-1);
  if (!hop) {
    await topology?.stop();
    throw new Error(`target ${target.name} has no hop`);
  }
  return { ctx: { target: targetAtHop(opened, hop), hop, headers, ca, resolve }, topology };
}
