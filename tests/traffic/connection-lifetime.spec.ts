import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { connectionLifetimeCheck } from '../../src/checks/connection-lifetime';

test.describe('connection lifetime', () => {
  forEachHop('connection-lifetime', (hop, tags) => {
    test(`a websocket session lives the declared session length, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      test.setTimeout(checkTimeoutMs(runtime.target, 'connection-lifetime'));
      await labelTest('traffic', 'connection-lifetime', hop, 'critical');
      await expectPass(testInfo, await connectionLifetimeCheck(contextFor(runtime, hop)));
    });
  });
});
