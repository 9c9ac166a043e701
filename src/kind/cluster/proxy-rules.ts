/**
 * What kube-proxy has actually programmed on the kind node, read from the node's iptables (iptables mode, kind's
 * default): whether the lb Service's rules carry ClientIP affinity (`-m recent --rcheck`, one per endpoint). A fault
 * or its undo on the Service is in effect exactly when these rules say so — a deterministic readiness signal instead
 * of sleeping for kube-proxy's next sync.
 */
import { type Docker, dockerRaw } from '../docker-engine/cli';

export interface ServiceRef {
  namespace: string;
  name: string;
}

/** Both iptables back ends: which one kube-proxy writes depends on its image's and the node's choice. */
async function natRules(d: Docker, node: string): Promise<string> {
  const out = await dockerRaw(d, ['exec', node, 'sh', '-c', 'iptables-nft-save -t nat 2>/dev/null; iptables-legacy-save -t nat 2>/dev/null; true']);
  if (out.exitCode !== 0) throw new Error(`reading iptables on kind node ${node} failed: ${out.stderr.trim()}`);
  return out.stdout;
}

export interface AffinityRules {
  /** Rules of the Service (its comment), and how many of them check ClientIP affinity. */
  serviceRules: number;
  affinityRules: number;
}

export async function affinityRules(d: Docker, node: string, svc: ServiceRef): Promise<AffinityRules> {
  const lines = (await natRules(d, node)).split('\n').filter((l) => l.includes(`"${svc.namespace}/${svc.name}:`));
  return { serviceRules: lines.length, affinityRules: lines.filter((l) => l.includes('--rcheck')).length };
}

/**
 * Polls until the Service's rules exist and their affinity is `want` (on: every endpoint's rule checks the
 * client's address; off: none does). Returns the time it took; throws with the last reading at the deadline.
 */
export async function waitForAffinity(d: Docker, node: string, svc: ServiceRef, want: boolean, deadlineMs = 60_000): Promise<number> {
  const t0 = Date.now();
  let last: AffinityRules = { serviceRules: 0, affinityRules: 0 };
  while (Date.now() - t0 < deadlineMs) {
    last = await affinityRules(d, node, svc);
    if (last.serviceRules > 0 && (want ? last.affinityRules > 0 : last.affinityRules === 0)) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `kube-proxy did not program ${svc.namespace}/${svc.name} with affinity ${want ? 'ClientIP' : 'None'} within ${deadlineMs / 1000} s ` +
      `(last reading on ${node}: ${last.serviceRules} rules, ${last.affinityRules} with --rcheck)`,
  );
}
