/**
 * The kind target's pods, run here as Docker containers (no registry, so no kind node image): two containers of
 * the combined pod image behind the project's LB hop, every traffic check (and the browser) through them, and the
 * faults that live in a pod or in the balancing hop, compared with tests/self/fault-matrix.yaml like the fault
 * self-tests. Then what only a Docker engine can show: privileged containers (what kind nodes are) and the project's
 * `kind create cluster` failing with its own message where no node image can be pulled.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { applicablePairs } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { startContainerTopology } from '../../src/kind/container-topology';
import { redactText } from '../../src/report/redact';
import { loadTarget } from '../../src/targets/load';
import { type DeepPartial, healthySettings } from '../../src/topology/defaults';
import type { TopologySettings } from '../../src/topology/types';
import { containerTest as test, expect } from './engine-fixture';

interface Fault {
  id: string;
  title: string;
  settings: DeepPartial<TopologySettings>;
  red: Record<string, string>;
}

const matrix = parse(readFileSync(new URL('../self/fault-matrix.yaml', import.meta.url), 'utf8')) as { faults: Fault[] };
/** The faults a pod (its nginx config, its Theia) or the balancing in front of the pods can have. */
const CONTAINER_FAULTS = ['healthy', 'no-affinity', 'pod-strips-upgrade', 'missing-cookie', 'health-down'];

test.describe.configure({ mode: 'serial' });

test.describe('kind pods as containers', () => {
  for (const fault of matrix.faults.filter((f) => CONTAINER_FAULTS.includes(f.id))) {
    test(`${fault.id}: ${fault.title}`, { tag: ['@selftest', '@containers'] }, async ({ docker, page }, testInfo) => {
      test.setTimeout(120_000);
      const topology = await startContainerTopology(docker.engine.docker, docker.image.ref, healthySettings(fault.settings));
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
