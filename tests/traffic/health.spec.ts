import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { healthCheck } from '../../src/checks/health';

test.describe('health endpoint', () => {
  forEachHop('health', (hop, tags) => {
    test(`answers 200 with the health JSON, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      await labelTest('traffic', 'health', hop);
      await expectPass(testInfo, await healthCheck(contextFor(runtime, hop)));
    });
  });
});
