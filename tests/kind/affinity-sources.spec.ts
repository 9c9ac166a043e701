/**
 * ClientIP affinity through kube-proxy, seen from several client addresses (`kind-faults` project): clients on
 * extra addresses of the kind bridge send requests, each on a new connection, to the lb Service's NodePort on the
 * node's own address (client-sources.ts), so kube-proxy sees each client's real address. Healthy (sessionAffinity
 * ClientIP): every client stays on one pod. With the no-affinity fault: clients' requests cross pods. How the
 * clients spread over the pods is reported as a figure (a random choice per client, not asserted).
 */
import { expect, test } from '../../fixtures/base';
import { connect } from '../../src/k8s/client';
import { podsPerSource, kindNetwork, withSourceAddresses } from '../../src/kind/cluster/client-sources';
import { applyKindFault, type KindFaultContext, restoreKind } from '../../src/kind/cluster/faults';
import { runningKindDocker } from '../../src/kind/docker-engine/kind-engine';
import { clusterName, kubeconfigPath } from '../../src/kind/settings';
import { loadTarget } from '../../src/targets/load';

const SOURCES = 6;
const PER_SOURCE = 12;
const LB_NODE_PORT = 30080;

test.describe.configure({ mode: 'serial' });

test('kind: ClientIP affinity pins each client address to one pod; without it, clients cross pods', { tag: ['@selftest', '@kind'] }, async (
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  {},
  testInfo,
) => {
  const docker = runningKindDocker();
  if (!docker) throw new Error('the kind engine is not running: the kind-cluster setup starts it');
  const node = `${clusterName()}-control-plane`;
  const net = await kindNetwork(docker, node, SOURCES);
  const url = `http://${net.nodeIp}:${LB_NODE_PORT}${loadTarget('kind').appPath}`;
  const conn = await connect({ kubeconfig: kubeconfigPath(), timeoutMs: 10_000 });
  const ctx: KindFaultContext = { conn, docker, node, urls: loadTarget('kind').hops.map((h) => h.url) };
  const showSpread = (m: Record<string, Record<string, number>>) =>
    Object.entries(m).map(([s, pods]) => `${s} → ${Object.entries(pods).map(([p, n]) => `${p} ×${n}`).join(', ')}`).join('; ');
  await withSourceAddresses(net, async () => {
    const healthy = await test.step(`ClientIP: ${SOURCES} client addresses × ${PER_SOURCE} requests`, () => podsPerSource(url, net.sources, PER_SOURCE));
    const pods = new Set(Object.values(healthy).flatMap((p) => Object.keys(p)));
    testInfo.annotations.push({ type: 'figures', description: `ClientIP: ${showSpread(healthy)} (${pods.size} distinct pods over ${SOURCES} clients)` });
    for (const [source, seen] of Object.entries(healthy)) expect(Object.keys(seen), `client ${source} under ClientIP affinity: ${showSpread(healthy)}`).toHaveLength(1);
    try {
      await test.step('make the fault: no-affinity', () => applyKindFault(ctx, 'no-affinity'));
      const none = await test.step(`None: ${SOURCES} client addresses × ${PER_SOURCE} requests`, () => podsPerSource(url, net.sources, PER_SOURCE));
      testInfo.annotations.push({ type: 'figures', description: `no affinity: ${showSpread(none)}` });
      // One client staying on one pod over 12 new connections has probability 2^-11; all six, 2^-66.
      const crossing = Object.values(none).filter((p) => Object.keys(p).length > 1).length;
      expect(crossing, `clients whose requests crossed pods without affinity: ${showSpread(none)}`).toBeGreaterThan(0);
    } finally {
      await test.step('restore the cluster', () => restoreKind(ctx));
    }
  });
});
