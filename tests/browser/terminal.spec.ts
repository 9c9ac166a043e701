import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { browserTerminalCheck } from '../../src/checks/browser-terminal';

test.describe('browser terminal', () => {
  forEachHop('browser-terminal', (hop, tags) => {
    test(`the terminal connects over websocket and echoes a nonce, via ${hop}`, { tag: ['@browser', '@smoke', ...tags] }, async ({ runtime, page }, testInfo) => {
      await labelTest('browser', 'browser-terminal', hop, 'blocker');
      await expectPass(testInfo, await browserTerminalCheck(page, contextFor(runtime, hop)));
    });
  });
});
