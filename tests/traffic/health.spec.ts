import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { healthCheck } from '../../src/checks/health';

test.describe('health endpoint', () => {
  forEachHop('health', (hop, tags) => {
    test(`answers 200 with the health JSON, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      test.setTimeout(checkTimeoutMs(runtime.target, 'health'));
      await labelTest('traffic', 'health', hop);
      await expectPass(testInfo, await healthCheck(contextFor(runtime, hop)));
    });
  });
});
