/**
 * Lint on the project's own files: the healthy manifests and every nginx config the project ships or renders have
 * no error; the broken manifests show each planted problem once, with its severity, at its line; the rendered
 * configs of each fault of the fault matrix show the nginx rule that fault breaks (and the others none).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { loadFaults } from '../../src/faults/traffic';
import { projectRoot } from '../../src/paths';
import { deepMerge, healthySettings } from '../../src/topology/defaults';
import { renderLbConfig, renderPodConfig } from '../../src/topology/nginx-config';
import type { TopologySettings } from '../../src/topology/types';
import { fixturesDir, key, lint, markers } from './harness';

const at = (p: string) => path.join(projectRoot, p);
const summary = (findings: { rule: string; severity: string; file: string; line: number }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${path.relative(projectRoot, path.resolve(f.file))}:${f.line}`);

/** The fault matrix's nginx-visible faults, and the rules their rendered configs must raise (nothing else). */
const faultRules: Record<string, { pod: string[]; lb: string[] }> = {
  healthy: { pod: [], lb: [] },
  'no-affinity': { pod: [], lb: ['nginx-upstream-affinity'] },
  'lb-strips-upgrade': { pod: [], lb: ['nginx-upgrade-headers'] },
  'pod-strips-upgrade': { pod: ['nginx-upgrade-headers'], lb: [] },
  'cdn-caching': { pod: [], lb: ['nginx-cache'] },
  'host-rewritten': { pod: [], lb: ['nginx-host-rewritten'] },
  'health-down': { pod: ['nginx-health-path'], lb: [] },
  // Not visible in nginx config: a relay caps lifetimes, the app's own settings, a dropped cookie.
  'lifetime-cap': { pod: [], lb: [] },
  'wrong-path': { pod: [], lb: [] },
  'foreign-origin': { pod: [], lb: [] },
  'missing-cookie': { pod: [], lb: [] },
};

function renderBoth(settings: TopologySettings): { pod: string; lb: string } {
  return {
    pod: renderPodConfig(settings.pod, settings.theia.basePath, { listen: '127.0.0.1:40000', theiaPort: 3000, runtime: { kind: 'production' } }),
    lb: renderLbConfig(settings.lb, [{ pod: 'pod-0', port: 41001 }, { pod: 'pod-1', port: 41002 }], { listenPort: 40100, prefix: '/tmp/socketproof-lb' }),
  };
}

test.describe('lint on the project files', { tag: '@lint' }, () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'socketproof-lint-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('healthy manifests with the in-pod nginx.conf: no error, no warning; the Service affinity is an info', () => {
    // One run: the BackendConfig's health check path (/health) is checked against the pod's nginx.conf.
    const report = lint([at('kind/manifests/healthy'), at('kind/pod/nginx.conf')]);
    expect(report.objects).toBe(5);
    expect(report.nginxConfigs).toBe(1);
    expect(summary(report.findings)).toEqual(['info service-affinity-ignored kind/manifests/healthy/service.yaml:17']);
  });

  test('broken manifests: each planted problem once, with its severity, at its line', () => {
    const report = lint(at('kind/manifests/broken'));
    expect(summary(report.findings)).toEqual([
      // No timeoutSec: GKE's 30 s caps every WebSocket (reported at `spec:`, where it belongs).
      'error backendconfig-timeout kind/manifests/broken/backendconfig.yaml:8',
      // Cloud CDN on.
      'error backendconfig-cdn kind/manifests/broken/backendconfig.yaml:10',
      // The Ingress routes to Theia's port, past the in-pod nginx the health check covers.
      'error health-check-port-mismatch kind/manifests/broken/ingress.yaml:19',
      // The Service "has affinity", which GKE ignores, and the BackendConfig has none: one finding, at the trap.
      'error service-affinity-ignored kind/manifests/broken/service.yaml:15',
    ]);
    expect(report.findings.map((f) => f.fix)).toEqual(['backendconfig-timeout', 'cdn-off', 'routing-to-combined-service', 'backendconfig-session-affinity']);
  });

  test('a folder of folders: each folder is its own set (kind/ gives the healthy and the broken findings, nothing more)', () => {
    const report = lint(at('kind'));
    expect(summary(report.findings)).toEqual([
      ...summary(lint(at('kind/manifests/broken')).findings),
      'info service-affinity-ignored kind/manifests/healthy/service.yaml:17',
    ]);
  });

  test('the nginx configs every target renders: no finding for the healthy topology', () => {
    for (const [name, overrides] of [
      ['mock Theia at /theia/', {}],
      ['mock Theia at /', { theia: { basePath: '/', socketPath: '/socket.io/' } }],
      ['affinity by cookie (GENERATED_COOKIE)', { lb: { affinity: 'cookie' } }],
    ] as const) {
      const { pod, lb } = renderBoth(healthySettings(overrides as never));
      writeFileSync(path.join(dir, 'pod.conf'), pod);
      writeFileSync(path.join(dir, 'lb.conf'), lb);
      expect(summary(lint(path.join(dir, 'pod.conf'), { healthPaths: ['/health'] }).findings), `${name}: pod`).toEqual([]);
      expect(summary(lint(path.join(dir, 'lb.conf')).findings), `${name}: lb`).toEqual([]);
    }
  });

  test('each fault of the matrix: its rendered configs raise the rule that guards it, and only that one', () => {
    const faults = loadFaults();
    expect(Object.keys(faultRules).sort()).toEqual(faults.map((f) => f.id).sort());
    for (const fault of faults) {
      const { pod, lb } = renderBoth(deepMerge(healthySettings(), fault.settings));
      writeFileSync(path.join(dir, `${fault.id}-pod.conf`), pod);
      writeFileSync(path.join(dir, `${fault.id}-lb.conf`), lb);
      const rules = (file: string, health: string[]) => [...new Set(lint(path.join(dir, file), { healthPaths: health }).findings.map((f) => f.rule))];
      expect(rules(`${fault.id}-pod.conf`, ['/health']), `${fault.id}: pod`).toEqual(faultRules[fault.id]?.pod);
      expect(rules(`${fault.id}-lb.conf`, []), `${fault.id}: lb`).toEqual(faultRules[fault.id]?.lb);
    }
  });

  test('an nginx config in a ConfigMap: findings at the lines of the YAML file, suppressions inside it honoured', () => {
    const fixture = path.join(fixturesDir, 'configmap');
    const report = lint(fixture);
    expect(report.nginxConfigs).toBe(1);
    expect(report.findings.map(key)).toEqual(markers(fixture).map(key));
    expect(report.findings[0]?.column).toBe(13);
  });
});
