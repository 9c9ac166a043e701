/**
 * The kind target's pods, run here as Docker containers (no registry, so no kind node image): two containers of
 * the combined pod image behind the project's LB hop, every traffic check (and the browser) through them, and the
 * faults that live in a pod or in the balancing hop, compared with faults/traffic.yaml like the fault
 * self-tests. Then what only a Docker engine can show: privileged containers (what kind nodes are) and the project's
 * `kind create cluster` failing with its own message where no node image can be pulled.
 */
import { readFileSync } from 'node:fs';
import { applicablePairs } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { faultsFor } from '../../src/faults/traffic';
import { startContainerTopology } from '../../src/kind/containers/container-topology';
import { tagAsDeploymentImages } from '../../src/kind/cluster/deploy';
import { docker as dockerCli, dockerRaw, publishedPort, removeAll } from '../../src/kind/docker-engine/cli';
import { podDeployment, productionObjects } from '../../src/kind/cluster/manifests';
import { redactText } from '../../src/secrets/redact';
import { loadTarget } from '../../src/targets/load';
import { healthySettings } from '../../src/topology/defaults';
import { containerTest as test, expect } from './engine-fixture';


// One worker, in order (one engine and image for all), and unlike 'serial' a failure does not skip the rest.
test.describe.configure({ mode: 'default' });

test.describe('kind pods as containers', () => {
  // The faults a pod (its nginx config, its Theia) or the balancing in front of the pods can have.
  for (const fault of faultsFor('containers')) {
    test(`${fault.id}: ${fault.title}`, { tag: ['@selftest', '@containers'] }, async ({ engine, podImage, page }, testInfo) => {
      test.setTimeout(120_000);
      const topology = await startContainerTopology(engine.docker, podImage.ref, healthySettings(fault.settings));
      try {
        // targets/kind.yaml's expectations, with the containers' hops: the same target the cluster is tested as.
        const kind = loadTarget('kind');
        const target = { ...kind, hops: kind.hops.map((h) => ({ ...h, url: topology.hopUrls[h.name as 'lb' | 'pod-nginx'] })) };
        const t0 = Date.now();
        const verdicts = await test.step('run every check on every hop', () => runAllChecks(target, { page }));
        testInfo.annotations.push({
          type: 'figures',
          description: `containers ready ${topology.timings.containersMs} ms, LB ${topology.timings.lbMs} ms, checks ${Date.now() - t0} ms`,
        });
        await testInfo.attach('verdicts', { body: formatVerdictTable(verdicts), contentType: 'text/plain' });

        const expected: Record<string, string> = {};
        for (const p of applicablePairs(target)) expected[`${p.check}@${p.hop}`] = fault.red[`${p.check}@${p.hop}`] ?? 'ok';
        expect(verdictTable(verdicts), `verdicts for fault ${fault.id}:\n${formatVerdictTable(verdicts)}`).toEqual(expected);
        if (fault.id === 'healthy') {
          // Affinity is only proven if the clients were spread over both pods and each still kept its session.
          const access = (await topology.logs()).find((l) => l.name === 'nginx-lb.access.log')?.text ?? '';
          const upstreams = new Set([...access.matchAll(/up=(127\.0\.0\.1:\d+)/g)].map((m) => m[1]));
          expect(upstreams.size, `LB access log upstreams: ${[...upstreams].join(', ')}`).toBe(2);
        }
      } finally {
        if (testInfo.status !== testInfo.expectedStatus) {
          for (const c of topology.configs) await testInfo.attach(c.name, { body: c.text, contentType: 'text/plain' });
          for (const l of await topology.logs()) await testInfo.attach(l.name, { body: redactText(l.text), contentType: 'text/plain' });
        }
        await topology.stop();
      }
    });
  }
});

test.describe('the pod image as kind runs it', () => {
  test("the production Deployment's pod: its nginx and theia containers, one network namespace", { tag: '@containers' }, async ({ engine, podImage }) => {
    const d = engine.docker;
    const dep = podDeployment(productionObjects());
    await tagAsDeploymentImages(d, podImage.ref, dep.images);
    const ids = { containers: [] as string[], networks: [] as string[] };
    try {
      ids.networks.push(await dockerCli(d, ['network', 'create', `socketproof-pod-${process.pid}`]));
      const hostname = `theia-${process.pid}-x1`; // as a Deployment's pod names itself
      const nginx = await dockerCli(d, ['run', '--detach', '--hostname', hostname, '--network', `socketproof-pod-${process.pid}`, '--publish', '127.0.0.1::8080', dep.images.nginx]);
      ids.containers.push(nginx);
      // The Deployment's own args for the theia container (Theia's flags), in the nginx container's namespace.
      ids.containers.push(await dockerCli(d, ['run', '--detach', '--network', `container:${nginx}`, dep.images.theia, ...dep.theiaArgs]));
      const url = `http://127.0.0.1:${await publishedPort(d, nginx, 8080)}`;
      let res: Response | undefined;
      for (let i = 0; i < 300 && res?.status !== 200; i++) {
        res = await fetch(`${url}/theia/`).catch(() => undefined);
        if (res?.status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(res?.status, (await dockerRaw(d, ['logs', ids.containers[1] ?? ''])).stderr).toBe(200);
      expect(res?.headers.get('x-socketproof-pod'), 'the mock names itself after the pod (hostname)').toBe(hostname);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      expect(await removeAll(d, ids)).toEqual([]);
    }
  });

  // As root (a kind node's systemd is): a non-root process asks runc for no capabilities and would pass anyway.
  test('privileged containers (what kind nodes are) run on this engine', { tag: '@containers' }, async ({ engine, podImage }) => {
    const out = await dockerRaw(engine.docker, ['run', '--rm', '--privileged', '--user', '0', '--network', 'none', '--entrypoint', 'grep', podImage.ref, 'CapEff', '/proc/self/status']);
    expect(out.exitCode, out.stderr).toBe(0);
    const bounding = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`);
    const sysResource = 1n << 24n;
    if (engine.kind === 'private' && (bounding & sysResource) === 0n) {
      // This VM cannot grant CAP_SYS_RESOURCE: plain runc fails, which is why the engine's default runtime drops it.
      const plain = await dockerRaw(engine.docker, ['run', '--rm', '--privileged', '--user', '0', '--runtime', 'runc', '--network', 'none', '--entrypoint', 'true', podImage.ref]);
      expect(plain.exitCode).not.toBe(0);
      expect(plain.stderr).toContain('unable to apply caps');
      expect(BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(out.stdout)?.[1] ?? '0'}`) & sysResource).toBe(0n);
    }
  });
});
