import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { browserTerminalCheck } from '../../src/checks/browser-terminal';

test.describe('browser terminal', () => {
  forEachHop('browser-terminal', (hop, tags) => {
    test(`the terminal connects over websocket and echoes a nonce, via ${hop}`, { tag: ['@browser', '@smoke', ...tags] }, async ({ runtime, page }, testInfo) => {
      test.setTimeout(checkTimeoutMs(runtime.target, 'browser-terminal'));
      await labelTest('browser', 'browser-terminal', hop, 'blocker');
      await expectPass(testInfo, await browserTerminalCheck(page, contextFor(runtime, hop)));
    });
  });
});
