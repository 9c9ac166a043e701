/**
 * The manifests drive the local traffic: objects are staged (in the worker's API server, fixes applied to it by
 * server-side apply; or in memory without one), mapped to topology settings (src/k8s/topology-from-objects.ts),
 * the local topology is stood up from them and every traffic check runs on every hop. The healthy manifests are
 * green; the broken ones turn exactly the fixes' `traffic` checks red at the load balancer; leaving one fix out
 * of "broken + every fix" turns exactly that fix's `traffic` checks red, with one of the causes it addresses.
 */
import type { Page } from '@playwright/test';
import { attachTopology, attachVerdict, clusterTest as test, type ClusterWorker, expect, labelTest, type Staged } from '../../fixtures';
import { applicablePairs } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { type Fix, fixObjects, loadFixes } from '../../src/fixes/load';
import { fixFieldManager } from '../../src/k8s/apply';
import { serverSideApply } from '../../src/k8s/client';
import { type ObjectSource, objectsSource } from '../../src/k8s/object-source';
import { mergeObjects } from '../../src/k8s/objects';
import { settingsFromObjects } from '../../src/k8s/topology-from-objects';
import { loadTarget, withHopUrls } from '../../src/targets/load';
import { healthySettings } from '../../src/topology/defaults';
import { startTopology } from '../../src/topology/topology';

const effective = loadFixes().filter((f) => f.effectiveOnGke);

/** The staged objects with `fixes` applied: by server-side apply when there is a server, else merged locally. */
async function withFixes(cluster: ClusterWorker, staged: Staged, fixes: Fix[]): Promise<ObjectSource> {
  if (!cluster.admin) {
    return objectsSource(mergeObjects(staged.objects, fixes.flatMap((f) => fixObjects(f, staged.ctx.expect))), `staged + ${fixes.length} fixes`);
  }
  // One field manager per fix: with a shared one, each apply would remove the fields the previous fix set.
  for (const f of fixes) {
    for (const o of fixObjects(f, staged.ctx.expect)) await serverSideApply(cluster.admin, o, { fieldManager: fixFieldManager(f.id), force: true });
  }
  return staged.ctx.source;
}

/** Verdict table (`check@hop` → ok | cause) of the local topology the objects describe. */
async function trafficFrom(source: ObjectSource, namespace: string, page: Page): Promise<Record<string, string>> {
  const overrides = await settingsFromObjects(source, { names: { namespace } });
  const topology = await startTopology(healthySettings(overrides));
  const info = test.info();
  try {
    const target = withHopUrls(loadTarget('local'), topology.hopUrls);
    const verdicts = await runAllChecks(target, { page });
    await info.attach('topology settings from the objects', { body: JSON.stringify(overrides, null, 2), contentType: 'application/json' });
    await info.attach('verdicts', { body: formatVerdictTable(verdicts), contentType: 'text/plain' });
    for (const v of verdicts) if (!v.ok) await attachVerdict(info, v);
    return verdictTable(verdicts);
  } finally {
    if (info.status !== info.expectedStatus) await attachTopology(info, topology);
    await topology.stop();
  }
}

/** Every pair ok, except `red` checks at the load balancer, whose cause must be one of `causes` ('any': red). */
function expectReds(table: Record<string, string>, red: string[], causes: string[] | 'any'): void {
  const expected: Record<string, string> = {};
  for (const p of applicablePairs(loadTarget('local'))) {
    const key = `${p.check}@${p.hop}`;
    const got = table[key] ?? 'missing';
    const isRed = p.hop === 'lb' && red.includes(p.check);
    const accepted = got !== 'ok' && (causes === 'any' || causes.includes(got));
    expected[key] = !isRed ? 'ok' : accepted ? got : `one of ${causes === 'any' ? 'any cause' : causes.join('|')}`;
  }
  expect(table).toEqual(expected);
}

test.describe('manifests drive the local traffic', () => {
  test.describe.configure({ timeout: 90_000 });

  test('healthy manifests: every traffic check green', { tag: ['@cluster', '@selftest'] }, async ({ stage, page }) => {
    await labelTest('selftest', 'manifests drive traffic', 'healthy');
    const staged = await stage({ set: 'healthy' });
    expectReds(await trafficFrom(staged.ctx.source, staged.namespace, page), [], []);
  });

  test('broken manifests: the fixes’ traffic checks red at the load balancer', { tag: ['@cluster', '@selftest'] }, async ({ stage, page }) => {
    await labelTest('selftest', 'manifests drive traffic', 'broken');
    const staged = await stage({ set: 'broken' });
    const red = [...new Set(effective.flatMap((f) => f.traffic))];
    // Three faults at once (no affinity, CDN, 30 s cap): each red pair names one of them (a cached page handing out
    // another replica's token reads as the CDN, its real cause); the single-fault runs below pin each cause.
    expectReds(await trafficFrom(staged.ctx.source, staged.namespace, page), red, [...new Set(effective.flatMap((f) => f.addresses))]);
  });

  test('broken + every fix: every traffic check green', { tag: ['@cluster', '@selftest'] }, async ({ cluster, stage, page }) => {
    await labelTest('selftest', 'manifests drive traffic', 'broken + every fix');
    const staged = await stage({ set: 'broken' });
    const source = await withFixes(cluster, staged, effective);
    expectReds(await trafficFrom(source, staged.namespace, page), [], []);
  });

  for (const fix of effective.filter((f) => f.traffic.length > 0)) {
    test(`broken + every fix but ${fix.id}: exactly its traffic checks red`, { tag: ['@cluster', '@selftest'] }, async ({ cluster, stage, page }) => {
      await labelTest('selftest', 'manifests drive traffic', `without ${fix.id}`);
      const staged = await stage({ set: 'broken' });
      const source = await withFixes(cluster, staged, effective.filter((f) => f !== fix));
      expectReds(await trafficFrom(source, staged.namespace, page), fix.traffic, fix.addresses);
    });
  }
});
