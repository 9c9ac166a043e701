/**
 * With HTTPS_PROXY set, every request the suite makes goes through the proxy: Node's HTTP probes, the raw
 * WebSocket upgrade, socket.io-client (polling and websocket), and Chromium. A run of the local target through a
 * recording CONNECT proxy must pass, and the proxy must have seen each kind of traffic.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';
import { freshRunEnv } from '../../src/runner-env';
import { startConnectProxy } from '../../src/testing/connect-proxy';

test('every request of a run goes through HTTPS_PROXY', { tag: '@selftest' }, async () => {
  test.setTimeout(120_000);
  const proxy = await startConnectProxy();
  try {
    const run = await $({
      nothrow: true,
      quiet: true,
      env: freshRunEnv({ HTTPS_PROXY: proxy.url, SOCKETPROOF_REPORTS_DIR: mkdtempSync(path.join(tmpdir(), 'socketproof-proxy-')) }, ['NO_PROXY', 'no_proxy']),
    })`npx playwright test --project=local`;
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);

    const requests = proxy.tunnels.map((t) => t.firstRequest ?? '');
    const fromChromium = (r: string) => /user-agent: .*Chrome/i.test(r);
    const upgrade = (r: string) => /transport=websocket/.test(r) && /upgrade: websocket/i.test(r);
    expect(requests.some((r) => r.startsWith('GET /theia/socket.io/?EIO=4&transport=polling') && !fromChromium(r)), 'raw probe polling').toBe(true);
    expect(requests.some((r) => upgrade(r) && !fromChromium(r)), 'Node WebSocket upgrades').toBe(true);
    expect(requests.some((r) => /[?&]t=/.test(r) && !fromChromium(r)), 'socket.io-client polling (engine.io adds t=)').toBe(true);
    expect(requests.some((r) => r.startsWith('GET /theia/ ') && fromChromium(r)), 'Chromium page load').toBe(true);
    expect(requests.some((r) => upgrade(r) && fromChromium(r)), 'Chromium WebSocket').toBe(true);
  } finally {
    await proxy.close();
  }
});
