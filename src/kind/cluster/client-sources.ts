/**
 * Clients from several source addresses, straight to the kind node (no Docker port publishing, which would
 * re-originate every connection from one address): extra addresses on the host's side of the kind network's bridge,
 * each sending requests on fresh connections to a NodePort on the node's own address, each answer's
 * X-Socketproof-Pod naming the replica. What kube-proxy's ClientIP affinity does per client address is then visible.
 * The addresses go on the kind network's host bridge (root, like the engine) and are removed afterwards (on the
 * project's engine the bridge goes with it in any case).
 */
import http from 'node:http';
import { $ } from 'zx';
import { type Docker, docker } from '../docker-engine/cli';

export interface KindNetwork {
  bridge: string;
  nodeIp: string;
  prefix: number;
  /** `count` free-looking addresses at the top of the network's subnet (below broadcast). */
  sources: string[];
}

const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export async function kindNetwork(d: Docker, node: string, count: number): Promise<KindNetwork> {
  const id = (await docker(d, ['network', 'inspect', '--format', '{{.Id}}', 'kind'])).trim();
  const subnet = (await docker(d, ['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', 'kind'])).split(' ').find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
  if (!subnet) throw new Error('the kind network has no IPv4 subnet');
  const nodeIp = (await docker(d, ['inspect', '--format', '{{(index .NetworkSettings.Networks "kind").IPAddress}}', node])).trim();
  const [base, bits] = subnet.split('/') as [string, string];
  const prefix = Number(bits);
  const broadcast = toInt(base) + 2 ** (32 - prefix) - 1;
  const sources = Array.from({ length: count }, (_, i) => toIp(broadcast - 20 - i));
  return { bridge: `br-${id.slice(0, 12)}`, nodeIp, prefix, sources };
}

/** Adds the source addresses to the bridge, runs `fn`, removes them again (also when fn throws). */
export async function withSourceAddresses<T>(net: KindNetwork, fn: () => Promise<T>): Promise<T> {
  const added: string[] = [];
  try {
    for (const a of net.sources) {
      await $({ quiet: true })`ip addr add ${`${a}/${net.prefix}`} dev ${net.bridge}`;
      added.push(a);
    }
    return await fn();
  } finally {
    for (const a of added) await $({ quiet: true, nothrow: true })`ip addr del ${`${a}/${net.prefix}`} dev ${net.bridge}`;
  }
}

/** One GET on a fresh connection from `localAddress`; the replica that answered. */
function whichPod(url: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, agent: false, timeout: 5000, headers: { connection: 'close' } }, (res) => {
      res.resume();
      const pod = res.headers['x-socketproof-pod'];
      res.on('end', () => (typeof pod === 'string' ? resolve(pod) : reject(new Error(`${url} from ${localAddress}: no X-Socketproof-Pod (status ${res.statusCode})`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} from ${localAddress}: timed out`)));
    req.on('error', reject);
  });
}

/** source address → pod → number of answers, `perSource` requests each, every one on a new TCP connection. */
export async function podsPerSource(url: string, sources: string[], perSource: number): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const s of sources) {
    const counts: Record<string, number> = {};
    for (let i = 0; i < perSource; i++) {
      const pod = await whichPod(url, s);
      counts[pod] = (counts[pod] ?? 0) + 1;
    }
    out[s] = counts;
  }
  return out;
}
