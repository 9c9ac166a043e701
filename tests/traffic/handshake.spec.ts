import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { handshakeCheck } from '../../src/checks/handshake';

test.describe('Engine.IO handshake', () => {
  forEachHop('handshake', (hop, tags) => {
    test(`answers the open packet the target declares, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      await labelTest('traffic', 'handshake', hop, 'blocker');
      await expectPass(testInfo, await handshakeCheck(contextFor(runtime, hop)));
    });
  });
});
