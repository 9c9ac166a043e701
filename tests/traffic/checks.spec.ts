/**
 * The traffic checks, one describe block per check of the registry (src/checks/registry.ts: its title, claim,
 * severity and smoke flag), one test per hop. Which (check, hop) pairs a target has is its project's filter.
 */
import { contextFor, expectPass, forEachHop, labelTest, test } from '../../fixtures';
import { checkTimeoutMs } from '../../src/checks/budget';
import { trafficChecks } from '../../src/checks/registry';

for (const check of trafficChecks) {
  test.describe(check.title, () => {
    forEachHop(check.name, (hop, tags) => {
      const tag = ['@traffic', ...(check.smoke ? ['@smoke'] : []), ...tags];
      test(`${check.claim}, via ${hop}`, { tag }, async ({ runtime }, testInfo) => {
        test.setTimeout(checkTimeoutMs(runtime.target, check.name));
        await labelTest('traffic', check.name, hop, check.severity);
        await expectPass(testInfo, await check.run(contextFor(runtime, hop)));
      });
    });
  });
}
