/**
 * The whole story on the local target, as a user lives it. The broken manifests are on the API server; the local
 * topology takes its settings from the live objects; the traffic checks through the load balancer are red with
 * the right diagnosis. `apply-fix` (run as a user runs it: `npx tsx scripts/apply-fix.ts …`) applies the
 * BackendConfig affinity, then the timeout; after each, the settings are derived again from the LIVE objects
 * and exactly what the fix claims turns green. Rolling both back (newest first) brings the red back, and the
 * objects equal the ones before, field owners included.
 * The broken set also turns Cloud CDN on, which would mask affinity in the diagnosis: it is switched off in this
 * staging so the story is about the two fixes (cdn-off has its own specs).
 */
import { labelTest } from '../../fixtures';
import { loadFix } from '../../src/fixes/load';
import { cdnOffStaging } from '../../src/playground/story';
import { backupOf } from './fix-cli';
import { expect, fixTest as test, intentOf } from './fix-harness';
import { trafficFromLiveObjects } from './live-traffic';


const broken = {
  'handshake@lb': 'session-affinity',
  'session-continuity@lb': 'session-affinity',
  'websocket-upgrade@lb': 'session-affinity',
  'connection-lifetime@lb': 'session-affinity',
  'health@lb': 'ok',
};
const affinityOnly = { ...broken, 'handshake@lb': 'ok', 'session-continuity@lb': 'ok', 'websocket-upgrade@lb': 'ok', 'connection-lifetime@lb': 'connection-lifetime-cut' };
const fixed = { ...affinityOnly, 'connection-lifetime@lb': 'ok' };

test('fix story: broken → red → apply-fix ×2 → green → rollback → red, objects as before', { tag: ['@cluster'] }, async ({ fx }, testInfo) => {
  test.setTimeout(240_000);
  await labelTest('cluster', 'fix story', 'apply, verify, rollback on the local target', 'blocker');
  const { namespace } = await fx.stage({ set: 'broken', patches: [cdnOffStaging] });
  const before = await fx.snapshot(namespace);
  const traffic = (label: string) => trafficFromLiveObjects(fx.admin, namespace, label, testInfo);
  const applyFix = async (fix: string) => {
    const args = [fix, '--kubeconfig', fx.adminKubeconfig, '--namespace', namespace, '--backup-dir', fx.backupDir, '--journal-dir', fx.journalDir];
    const r = await fx.run('apply-fix', args, {}, 'npx');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const verifyMs = [...r.stdout.matchAll(/\] (?:apply|verify) .*\((\d+) ms\)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    testInfo.annotations.push({ type: 'timing', description: `apply-fix ${fix}: process ${r.ms} ms, apply→verified ${verifyMs} ms` });
    return backupOf(r);
  };

  await test.step('broken manifests: red with session-affinity', async () => {
    expect((await traffic('broken')).table).toEqual(broken);
  });
  const affinityBackup = await test.step('apply-fix backendconfig-session-affinity', () => applyFix('backendconfig-session-affinity'));
  await test.step('affinity green; the lifetime cut (GKE 30 s default) now shows', async () => {
    expect((await traffic('after backendconfig-session-affinity')).table).toEqual(affinityOnly);
  });
  const timeoutBackup = await test.step('apply-fix backendconfig-timeout', () => applyFix('backendconfig-timeout'));
  await test.step('every check green', async () => {
    const state = await traffic('after both fixes');
    expect(state.table).toEqual(fixed);
    // What the fix files claim (their `traffic` lists) is what turned green.
    for (const id of ['backendconfig-session-affinity', 'backendconfig-timeout']) {
      for (const check of loadFix(id).traffic.filter((c) => c !== 'browser-terminal')) expect(state.table[`${check}@lb`], `${id} → ${check}`).toBe('ok');
    }
  });
  await test.step('rollback both, newest first', async () => {
    for (const backup of [timeoutBackup, affinityBackup]) {
      const r = await fx.run('rollback', [backup, '--journal-dir', fx.journalDir], {}, 'npx');
      expect(r.code, r.stdout + r.stderr).toBe(0);
      testInfo.annotations.push({ type: 'timing', description: `rollback ${backup.split('/').pop()}: process ${r.ms} ms, ${/rolled back in (\d+) ms/.exec(r.stdout)?.[1]} ms restore` });
    }
    expect(intentOf(await fx.snapshot(namespace)), 'objects (and field owners) equal the ones before').toEqual(intentOf(before));
  });
  await test.step('red again, same diagnosis', async () => {
    expect((await traffic('after rollback')).table).toEqual(broken);
  });
});
