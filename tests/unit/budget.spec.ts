/**
 * Test timeouts come from the target: for every target file, the ad-hoc target's defaults and the largest values
 * the schema allows, each check's timeout covers the waits the check makes (the session it holds above all) and
 * stays under the runner's cap. This is what keeps a healthy 45 s production session from "Test timeout exceeded".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import {
  allChecksTimeoutMs,
  checkTimeoutMs,
  lifetimeHoldMs,
  RUNNER_CAP_MS,
  SIO_CONNECT_TIMEOUT_MS,
} from '../../src/checks/budget';
import { allCheckNames, checksOnHop } from '../../src/checks/registry';
import { adhocTargetData } from '../../src/targets/adhoc';
import { listTargets, loadTarget, parseTarget, targetsDir } from '../../src/targets/load';
import type { Target } from '../../src/targets/target';

interface SchemaNode {
  maximum?: number;
  properties?: Record<string, SchemaNode>;
}
const schema = JSON.parse(readFileSync(path.join(targetsDir, 'target.schema.json'), 'utf8')) as SchemaNode;
const max = (...keys: string[]): number => {
  let node: SchemaNode | undefined = schema;
  for (const k of keys) node = node?.properties?.[k];
  if (node?.maximum === undefined) throw new Error(`the schema sets no maximum for ${keys.join('.')}`);
  return node.maximum;
};

/** The local target with every bounded value at the schema's maximum. */
function largest(): Target {
  const local = loadTarget('local');
  return parseTarget(
    {
      ...local,
      sessionLengthMs: max('sessionLengthMs'),
      expect: { ...local.expect, pingInterval: max('expect', 'pingInterval'), pingTimeout: max('expect', 'pingTimeout') },
      continuity: { clients: max('continuity', 'clients'), requestsPerClient: max('continuity', 'requestsPerClient') },
      browser: { ...local.browser, deadlineMs: max('browser', 'deadlineMs') },
    },
    'largest values',
  );
}

const cases: [string, () => Target][] = [
  ...listTargets().map((name): [string, () => Target] => [`targets/${name}.yaml`, () => loadTarget(name)]),
  ['the ad-hoc target (smoke --url) defaults', () => parseTarget(adhocTargetData({ url: 'https://theia.example.com' }), 'ad hoc')],
  ['the largest values the schema allows', largest],
];

test.describe('test timeouts from the target', () => {
  for (const [name, load] of cases) {
    test(`${name}: every check's timeout covers its waits and stays under the runner cap`, () => {
      const target = load();
      for (const check of allCheckNames) {
        const timeout = checkTimeoutMs(target, check);
        expect(Number.isFinite(timeout), check).toBe(true);
        expect(timeout, `${check} on ${name}`).toBeLessThanOrEqual(RUNNER_CAP_MS);
      }
      // The lifetime check holds its session for the declared length (and a due ping's grace) after connecting.
      expect(checkTimeoutMs(target, 'connection-lifetime')).toBeGreaterThan(lifetimeHoldMs(target) + SIO_CONNECT_TIMEOUT_MS);
      expect(allChecksTimeoutMs(target, checksOnHop)).toBeGreaterThan(checkTimeoutMs(target, 'connection-lifetime'));
    });
  }

  test('production: a 45 s session gets more than Playwright’s 30 s default', () => {
    const production = loadTarget('production');
    expect(production.sessionLengthMs).toBe(45_000);
    expect(checkTimeoutMs(production, 'connection-lifetime')).toBeGreaterThan(45_000 + 30_000);
  });
});
