/**
 * The browser check copes with Theia's workspace-trust dialog, which a production Theia may show (the local real
 * Theia's build turns it off; the topology turns it back on in each pod's user settings). The `theia` driver declines
 * it and opens a terminal, on the real Theia and on the mock. The `selectors` driver's keys open a terminal behind the
 * dialog on both, but the dialog keeps the focus: typing there would go nowhere and Enter would press "Yes, I trust
 * the authors" — on Theia 1.74.1 that wrote a trusted folder into the user's settings on the server (seen in the
 * frames) — so that driver refuses to type, with a line that names the `theia` driver.
 */
import { attachTopology, attachVerdict, expect, labelTest, test } from '../../fixtures';
import { browserTerminalCheck } from '../../src/checks/browser-terminal';
import { checkTimeoutMs } from '../../src/checks/budget';
import { targetAtHop } from '../../src/targets/hop-paths';
import { loadTarget, withHopUrls } from '../../src/targets/load';
import type { Target } from '../../src/targets/target';
import { appSettings } from '../../src/runtime/embedded-settings';
import { healthySettings } from '../../src/topology/defaults';
import { startTopology } from '../../src/topology/topology';

const cases: { name: string; target: string; driver: 'theia' | 'selectors'; ok: boolean; observed: RegExp }[] = [
  { name: 'real Theia, theia driver', target: 'local-theia', driver: 'theia', ok: true, observed: /declined the workspace-trust dialog/ },
  { name: 'mock Theia, theia driver', target: 'local', driver: 'theia', ok: true, observed: /declined the workspace-trust dialog/ },
  { name: 'mock Theia, selectors driver (keys)', target: 'local', driver: 'selectors', ok: false, observed: /workspace-trust dialog is up/ },
  { name: 'real Theia, selectors driver (keys)', target: 'local-theia', driver: 'selectors', ok: false, observed: /workspace-trust dialog is up/ },
];

for (const c of cases) {
  test(`workspace-trust dialog: ${c.name}`, { tag: ['@selftest', '@browser'] }, async ({ page }, testInfo) => {
    await labelTest('selftest', 'workspace trust', c.name);
    const file = loadTarget(c.target);
    // One replica: the dialog is about the page, not the load balancing.
    const base: Target = { ...file, browser: { ...file.browser, driver: c.driver } };
    const topology = await startTopology(healthySettings({ ...appSettings(base), replicas: 1, theia: { ...appSettings(base).theia, workspaceTrust: true } }));
    try {
      const target = withHopUrls(base, topology.hopUrls);
      test.setTimeout(checkTimeoutMs(target, 'browser-terminal'));
      const lb = target.hops.find((h) => h.browser);
      if (!lb) throw new Error(`${c.target} has no browser hop`);
      const v = await browserTerminalCheck(page, { target: targetAtHop(target, lb), hop: lb });
      await attachVerdict(testInfo, v);
      expect(v.ok, v.observed).toBe(c.ok);
      expect(v.observed).toMatch(c.observed);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await attachTopology(testInfo, topology);
      await topology.stop();
    }
  });
}
