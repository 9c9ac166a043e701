/**
 * Opening a target for a run: loaded from its file; a remote target's values learned from the app; the embedded
 * target's local topology started with the hop URLs filled in. Shared by the Playwright fixtures (fixtures/runtime.ts)
 * and the scripts (diagnose, smoke), so both open a target the same way. The caller stops `topology`.
 */
import { proxyFromEnv } from '../probes/network';
import { playgroundVars } from '../playground/target-url';
import { discoverTarget } from '../targets/discover';
import { authHeaders, loadTarget, resolveEnvUrls, TargetError, withHopUrls } from '../targets/load';
import type { Target } from '../targets/target';
import { caBundleFromEnv } from '../tls/ca-file';
import { ensureCertificates } from '../tls/certificates';
import { certificatesDir, embeddedSettings } from './embedded-settings';
import { startTopology } from '../topology/topology';
import type { RunningTopology } from '../topology/types';

export interface Runtime {
  target: Target;
  topology?: RunningTopology;
  /** Request headers: the target's auth from the environment, plus SOCKETPROOF_HEADER_* (never from the file). */
  headers: Record<string, string>;
  /** Extra CAs (PEM) to trust: the suite's own for an embedded HTTPS target, and every one of SOCKETPROOF_CA_FILE. */
  ca?: string;
  /** hostname → address, for a real hostname served on loopback. */
  resolve?: Record<string, string>;
  /** What the run learned from the app instead of the target file (app kind, protocol values): for the report. */
  learned: string[];
}

/** SOCKETPROOF_HEADER_<NAME>=value → header <name>: value (underscores become dashes). */
export function headersFromEnv(env = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^SOCKETPROOF_HEADER_(.+)$/.exec(k);
    if (m?.[1] && v) headers[m[1].toLowerCase().replaceAll('_', '-')] = v;
  }
  return headers;
}

export async function openRuntime(targetName: string): Promise<Runtime> {
  const target = loadTarget(targetName);
  const headers = { ...headersFromEnv(), ...authHeaders(target) };
  // SOCKETPROOF_CA_FILE (one or several PEM certificates): trusted by every Node client, for any target.
  const extraCa = caBundleFromEnv()?.pems.join('');
  if (target.kind !== 'embedded') {
    if (process.env.SOCKETPROOF_FAULT) {
      throw new TargetError(`target ${target.name} is remote: faults are only injected into the embedded target`);
    }
    const discovered = await discoverTarget(resolveEnvUrls(target, { ...process.env, ...(await playgroundVars(target)) }), { headers, ca: extraCa, proxy: proxyFromEnv() });
    return { target: discovered.target, headers, ca: extraCa, learned: discovered.learned };
  }
  const topology = await startTopology(embeddedSettings(target));
  // The run's header: what the topology decided that a reader must know (where the app listens, and why).
  for (const note of topology.notes) console.log(`socketproof: ${target.name}: ${note}`);
  const tls = target.embedded?.tls;
  const suiteCa = tls ? ensureCertificates(certificatesDir, tls.hostname).caPem : undefined;
  return {
    target: withHopUrls(target, topology.hopUrls, topology.hopPaths),
    topology,
    headers,
    ca: [suiteCa, extraCa].filter(Boolean).join('') || undefined,
    resolve: tls ? { [tls.hostname]: '127.0.0.1' } : undefined,
    learned: [],
  };
}
