import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { handshakeCheck } from '../../src/checks/handshake';

test.describe('Engine.IO handshake', () => {
  forEachHop('handshake', (hop, tags) => {
    test(`answers the open packet the target declares, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      test.setTimeout(checkTimeoutMs(runtime.target, 'handshake'));
      await labelTest('traffic', 'handshake', hop, 'blocker');
      await expectPass(testInfo, await handshakeCheck(contextFor(runtime, hop)));
    });
  });
});
