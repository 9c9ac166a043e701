/**
 * `npm run smoke -- --url … --path /socket.io/` on apps the suite was not shaped after: a plain socket.io 4 server
 * with its defaults, served at `/`, behind the project's nginx (pod) and load balancer. With no other flag it is
 * green (protocol values learned from the first handshake, the browser check on the page's own connection); with
 * the affinity or the Upgrade headers broken it is red with that cause. The mock Theia at /theia/ is detected as
 * Theia from what it serves.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';
import { checkTimeoutMs } from '../../src/checks/budget';
import { freshRunEnv } from '../../src/runner-env';
import { parseTarget, loadTarget } from '../../src/targets/load';
import { adhocTargetData } from '../../src/targets/adhoc';
import { embeddedSettings } from '../../src/runtime/embedded-settings';
import { startTopology } from '../../src/topology/topology';

async function smokeAgainst(targetName: string, fault: string | undefined, args: string[]) {
  const topology = await startTopology(embeddedSettings(loadTarget(targetName), { SOCKETPROOF_FAULT: fault }));
  const reports = mkdtempSync(path.join(tmpdir(), 'socketproof-anyapp-'));
  try {
    const run = await $({
      nothrow: true,
      quiet: true,
      env: freshRunEnv({ SOCKETPROOF_REPORTS_DIR: reports }),
    })`npx tsx scripts/smoke.ts --url ${topology.lbUrl} ${args}`;
    return { exitCode: run.exitCode, out: run.stdout + run.stderr, reports };
  } finally {
    await topology.stop();
  }
}

interface AllureNode {
  attachments?: { name: string; source: string }[];
  steps?: AllureNode[];
}

/** Every text attachment of the run's Allure results with this name (allure-playwright nests them in steps). */
function attachments(reports: string, name: string): string[] {
  const dir = path.join(reports, 'allure-results');
  const texts: string[] = [];
  const walk = (node: AllureNode) => {
    for (const a of node.attachments ?? []) if (a.name === name) texts.push(readFileSync(path.join(dir, a.source), 'utf8'));
    for (const step of node.steps ?? []) walk(step);
  };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('-result.json'))) {
    walk(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as AllureNode);
  }
  return texts;
}

// The green run holds a 45 s session (the ad-hoc default): the budget of that check, plus the run's start.
const adhocBudget = checkTimeoutMs(parseTarget(adhocTargetData({ url: 'http://127.0.0.1' }), 'ad hoc'), 'connection-lifetime');

test.describe('smoke --url on any Socket.IO app', () => {
  test.describe.configure({ mode: 'parallel', timeout: adhocBudget + 60_000 });

  test('a plain socket.io server at / is green with no other flag, its values learned', { tag: '@selftest' }, async () => {
    const run = await smokeAgainst('local-plain', undefined, ['--path', '/socket.io/']);
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toContain('5 passed');
    const learned = attachments(run.reports, 'learned from the target');
    expect(learned.length).toBe(5);
    for (const text of learned) {
      expect(text).toContain('app: socket.io');
      expect(text).toContain('pingInterval: 25000');
      expect(text).toContain('pingTimeout: 20000');
      expect(text).toContain('maxPayload: 1000000');
    }
  });

  test('no affinity on the plain server is red with session-affinity', { tag: '@selftest' }, async () => {
    const run = await smokeAgainst('local-plain', 'no-affinity', ['--path', '/socket.io/', '--session-seconds', '3']);
    expect(run.exitCode, run.out).toBe(1);
    expect(run.out).toContain('cause:    session-affinity');
    expect(run.out).not.toMatch(/cause: {4}(?!session-affinity)/);
  });

  test('Upgrade headers stripped at the LB of the plain server are red with upgrade-blocked', { tag: '@selftest' }, async () => {
    const run = await smokeAgainst('local-plain', 'lb-strips-upgrade', ['--path', '/socket.io/', '--session-seconds', '3']);
    expect(run.exitCode, run.out).toBe(1);
    expect(run.out).toContain('cause:    upgrade-blocked');
    expect(run.out).not.toMatch(/cause: {4}(?!upgrade-blocked)/);
  });

  test('the mock Theia at /theia/ is detected as Theia and green', { tag: '@selftest' }, async () => {
    const run = await smokeAgainst('local', undefined, ['--path', '/theia/socket.io/', '--session-seconds', '3']);
    expect(run.exitCode, run.out).toBe(0);
    const learned = attachments(run.reports, 'learned from the target');
    expect(learned[0]).toContain('app: theia (the page sets theia-connection-token)');
    expect(learned[0]).toContain('namespace: /services');
    expect(learned[0]).toContain('pingInterval: 500');
  });
});
