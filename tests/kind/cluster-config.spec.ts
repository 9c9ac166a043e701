/**
 * The kind cluster as configured: kind/cluster.yaml binds only loopback and leaves name and node image to the
 * command line; its host ports, targets/kind.yaml's URLs and the overlay's node ports are one path per hop; the
 * cluster name cannot collide; the production Deployment names the two containers the pod image stands in for.
 */
import { expect, test } from '../../fixtures/base';
import { overlayObjects, podDeployment, productionObjects } from '../../src/kind/cluster/manifests';
import { clusterName, DEFAULT_NODE_IMAGE, nodeImage, portMappings, readClusterConfig } from '../../src/kind/settings';
import { loadTarget } from '../../src/targets/load';

test.describe('kind cluster config', { tag: '@containers' }, () => {
  test('kind/cluster.yaml: v1alpha4, loopback only, name and image left to the command line', () => {
    const config = readClusterConfig() as unknown as Record<string, unknown> & { networking?: { apiServerAddress?: string } };
    expect(config.kind).toBe('Cluster');
    expect(config.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(config.networking?.apiServerAddress).toBe('127.0.0.1');
    expect(config.name, 'the name is derived per checkout (--name)').toBeUndefined();
    const nodes = (config.nodes ?? []) as Record<string, unknown>[];
    for (const n of nodes) expect(n.image, 'the node image is a setting (--image)').toBeUndefined();
    expect(portMappings().length).toBeGreaterThan(0);
    for (const m of portMappings()) expect(m.listenAddress, `hostPort ${m.hostPort}`).toBe('127.0.0.1');
  });

  test('each hop of targets/kind.yaml: host port → node port → a NodePort Service of the overlay', () => {
    const services = overlayObjects().filter((o) => o.kind === 'Service');
    const serviceForHop: Record<string, string> = { lb: 'theia-nodeport', 'pod-nginx': 'theia-pod-nginx' };
    for (const hop of loadTarget('kind').hops) {
      const url = new URL(hop.url);
      const mapping = portMappings().find((m) => m.hostPort === Number(url.port) && m.listenAddress === url.hostname);
      expect(mapping, `no port mapping for ${hop.name} (${hop.url})`).toBeDefined();
      const svc = services.find((s) => s.metadata.name === serviceForHop[hop.name]);
      const spec = svc?.spec as { type: string; ports: { nodePort: number }[] } | undefined;
      expect(spec?.type).toBe('NodePort');
      expect(spec?.ports.map((p) => p.nodePort)).toContain(mapping?.containerPort);
    }
  });

  test('the lb Service balances with ClientIP affinity; the affinity fault turns it off', () => {
    const spec = (name: string, objs = overlayObjects()) => objs.find((o) => o.metadata.name === name)?.spec as Record<string, unknown>;
    expect(spec('theia-nodeport').sessionAffinity).toBe('ClientIP');
    const off = spec('theia-nodeport', overlayObjects({ affinity: 'None' }));
    expect(off.sessionAffinity).toBe('None');
    expect(off.sessionAffinityConfig).toBeUndefined();
  });

  test('the production Deployment: two replicas, containers nginx and theia (the pod image is tagged as theirs)', () => {
    const dep = podDeployment(productionObjects());
    expect(dep.replicas).toBe(2);
    expect(dep.images.nginx).not.toBe(dep.images.theia);
    const selector = Object.fromEntries(dep.selector.split(',').map((kv) => kv.split('=')));
    for (const svc of overlayObjects().filter((o) => o.kind === 'Service')) {
      const sel = (svc.spec as { selector: Record<string, string> }).selector;
      for (const [k, v] of Object.entries(selector)) expect(sel[k], `${svc.metadata.name} selects ${k}`).toBe(v);
    }
  });

  test('cluster name: socketproof-<hash of the checkout>, stable, distinct per checkout; node image a setting', () => {
    expect(clusterName()).toMatch(/^socketproof-[0-9a-f]{8}$/);
    expect(clusterName()).toBe(clusterName());
    expect(clusterName('/elsewhere/socketproof')).not.toBe(clusterName());
    expect(clusterName(undefined, { SOCKETPROOF_KIND_CLUSTER: 'mine' })).toBe('mine');
    expect(nodeImage({})).toBe(DEFAULT_NODE_IMAGE);
    expect(DEFAULT_NODE_IMAGE).toMatch(/^kindest\/node:v1\.(2\d|3[0-4])\.\d+@sha256:[0-9a-f]{64}$/);
    expect(nodeImage({ SOCKETPROOF_KIND_NODE_IMAGE: 'my/node:v1.33.1' })).toBe('my/node:v1.33.1');
  });
});
