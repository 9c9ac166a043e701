import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { websocketUpgradeCheck } from '../../src/checks/websocket-upgrade';

test.describe('WebSocket upgrade', () => {
  forEachHop('websocket-upgrade', (hop, tags) => {
    test(`upgrades to websocket and connects the namespace, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      test.setTimeout(checkTimeoutMs(runtime.target, 'websocket-upgrade'));
      await labelTest('traffic', 'websocket-upgrade', hop, 'critical');
      await expectPass(testInfo, await websocketUpgradeCheck(contextFor(runtime, hop)));
    });
  });
});
