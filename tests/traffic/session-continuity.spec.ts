import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { sessionContinuityCheck } from '../../src/checks/session-continuity';

test.describe('session continuity', () => {
  forEachHop('session-continuity', (hop, tags) => {
    test(`every request of a session reaches its replica, via ${hop}`, { tag: ['@traffic', '@smoke', ...tags] }, async ({ runtime }, testInfo) => {
      test.setTimeout(checkTimeoutMs(runtime.target, 'session-continuity'));
      await labelTest('traffic', 'session-continuity', hop, 'critical');
      await expectPass(testInfo, await sessionContinuityCheck(contextFor(runtime, hop)));
    });
  });
});
