/**
 * apply-fix --watch on the local target, as a user runs it: the affinity fix is applied to a staged namespace and
 * verified, then watched through the embedded topology that follows the live objects (the playground's). Faults are
 * later changes to the live objects by another field manager, made between rounds (each spec waits until the
 * traffic follows the change, and asserts it did so before the next round began). Rounds are short through the
 * watch's own flags (--watch 20s --watch-interval 3s), not through a test hook.
 * - healthy: completes green (exit 0) and writes nothing after the apply;
 * - the 30 s lifetime cut (timeoutSec 30) for good: exactly 2 failed rounds, rolled back (exit 4), cause named;
 * - the same cut for one round, then put right: no rollback (the "2 consecutive" rule);
 * - affinity switched off: the 400 rate alert fires on the first bad round, rolled back;
 * - killed (SIGKILL) mid-watch: the journal is left, `rollback` restores from it;
 * - Ctrl-C mid-watch: the watch ends, the fix stays (exit 5), no journal left;
 * - bad --watch input: one line, exit 2, nothing written.
 * --watch-sessions 2 in the lifetime specs: a cut session is one WebSocket failure, and with 4 sessions a round two
 * bad rounds would be 8 > 5 a minute, so the WebSocket alert would fire in the same round as the consecutive rule.
 */
import { labelTest } from '../../fixtures';
import { backupOf, errorLine } from './fix-cli';
import { expect, fixTest, intentOf, versionsOf } from './fix-harness';
import { roundLines, WATCHED_FIX, watchTest as test } from './watch-harness';

// 1s: the watch still runs its 2 rounds at least, and judges a failed last round with one more (watchDone).
const short = ['--watch', '1s', '--watch-interval', '3s'];
const cut = { timeoutSec: 30 };
const right = { timeoutSec: 3600 };

test.describe('apply-fix --watch', () => {
  test.describe.configure({ timeout: 300_000 });

  test('a healthy watch completes green and changes nothing after the apply', { tag: ['@cluster'] }, async ({ fx, scene }, testInfo) => {
    await labelTest('cluster', 'apply-fix --watch', 'healthy watch', 'critical');
    const run = scene.start(['--watch', '5s', '--watch-interval', '1s']);
    await run.waitFor(/^\s+round 1 {2}smoke ok/m, 180_000);
    const afterApply = await fx.snapshot(scene.namespace);
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rounds = roundLines(r.stdout);
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    for (const line of rounds) expect(line).toMatch(/smoke ok 5\/5 \| load 4 sessions, 0 met a 400, 400 rate 0 % .*, ws failures 0\/min \| failed rounds in a row 0\/2/);
    expect(r.stdout).toMatch(/^\[7\/7\] watch +healthy: \d+ round\(s\) over [\d.]+ s, no rule fired/m);
    expect(r.stdout).toMatch(/^done: backendconfig-session-affinity applied and verified and watched for/m);
    expect(versionsOf(await fx.snapshot(scene.namespace)), 'nothing written after the apply').toEqual(versionsOf(afterApply));
    expect(fx.files(fx.journalDir), 'no journal left behind').toEqual([]);
    testInfo.annotations.push({ type: 'timing', description: `healthy watch: ${rounds.length} rounds, process ${r.ms} ms; ${rounds.map((l) => /\(([\d.]+) s\)$/.exec(l)?.[1]).join(', ')} s per round` });
  });

  test('a lasting fault: exactly 2 consecutive failed rounds, then the rollback, verified', { tag: ['@cluster', '@selftest'] }, async ({ fx, scene }) => {
    await labelTest('selftest', 'apply-fix --watch', '2 consecutive failures roll back', 'critical');
    const before = await fx.snapshot(scene.namespace);
    const run = scene.start([...short, '--watch-sessions', '2']);
    await run.waitFor(/^\s+round 1 {2}smoke ok/m, 180_000);
    await scene.change(cut);
    expect(run.stdout, 'the traffic followed the fault before round 2 began').not.toMatch(/^\s+round 2 /m);
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(4);
    const rounds = roundLines(r.stdout);
    expect(rounds.map((l) => /smoke (ok|FAILED)/.exec(l)?.[1])).toEqual(['ok', 'FAILED', 'FAILED']);
    for (const line of rounds.slice(1)) expect(line).toMatch(/smoke FAILED 1\/5: connection-lifetime → connection-lifetime-cut/);
    expect(r.stdout).toMatch(
      /^\s+rule fired: 2 consecutive health failures \[consecutive-failures\], cause connection-lifetime-cut: 2 consecutive rounds failed \(round 2: connection-lifetime → connection-lifetime-cut.*; round 3: /m,
    );
    expect(r.stdout).toMatch(/^\s+rolling back \(watch: consecutive-failures \(cause connection-lifetime-cut\) after 3 round\(s\), during step "watching"\)/m);
    expect(r.stderr).toMatch(/rolled back in \d+ ms: the objects equal the backup apart from server-managed fields/);
    expect(intentOf(await fx.snapshot(scene.namespace)), 'objects and field owners as before the apply').toEqual(intentOf(before));
    expect(fx.files(fx.journalDir)).toEqual([]);
  });

  test('one failed round followed by a healthy one does not roll back', { tag: ['@cluster', '@selftest'] }, async ({ fx, scene }) => {
    await labelTest('selftest', 'apply-fix --watch', 'a transient failure is not 2 consecutive', 'critical');
    const run = scene.start([...short, '--watch-sessions', '2']);
    await run.waitFor(/^\s+round 1 {2}smoke ok/m, 180_000);
    await scene.change(cut);
    expect(run.stdout).not.toMatch(/^\s+round 2 /m);
    await run.waitFor(/^\s+round 2 {2}smoke FAILED/m);
    await scene.change(right);
    expect(run.stdout, 'the traffic was put right before round 3 began').not.toMatch(/^\s+round 3 /m);
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rounds = roundLines(r.stdout);
    expect(rounds.map((l) => /smoke (ok|FAILED)/.exec(l)?.[1])).toEqual(['ok', 'FAILED', 'ok']);
    expect(rounds[1]).toMatch(/failed rounds in a row 1\/2/);
    expect(rounds[2]).toMatch(/failed rounds in a row 0\/2/);
    expect(r.stdout).not.toMatch(/rule fired:|rolling back/);
    expect(fx.files(fx.journalDir)).toEqual([]);
  });

  test('an alert rule firing (400 rate above 1 %) rolls back at once', { tag: ['@cluster', '@selftest'] }, async ({ fx, scene }) => {
    await labelTest('selftest', 'apply-fix --watch', 'the 400 rate alert rolls back', 'critical');
    const before = await fx.snapshot(scene.namespace);
    const run = scene.start(short);
    await run.waitFor(/^\s+round 1 {2}smoke ok/m, 180_000);
    await scene.change({ sessionAffinity: { affinityType: 'NONE' } });
    expect(run.stdout).not.toMatch(/^\s+round 2 /m);
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(roundLines(r.stdout)).toHaveLength(2);
    expect(r.stdout).toMatch(/^\s+rule fired: alert: 400 error rate above 1 % \[alert-400-rate\], cause session-affinity: \d+\/\d+ probe sessions met an HTTP 400 in the last 60 s/m);
    expect(r.stderr).toMatch(/rolled back in \d+ ms: the objects equal the backup/);
    expect(intentOf(await fx.snapshot(scene.namespace))).toEqual(intentOf(before));
  });

  test('killed mid-watch: the journal is left and rollback restores from it', { tag: ['@cluster', '@selftest'] }, async ({ fx, scene }) => {
    await labelTest('selftest', 'apply-fix --watch', 'SIGKILL during the watch', 'critical');
    const before = await fx.snapshot(scene.namespace);
    const run = scene.start(['--watch', '10m', '--watch-interval', '2s']);
    await run.waitFor(/^\s+round 1 {2}smoke ok/m, 180_000);
    const journal = fx.files(fx.journalDir);
    expect(journal).toHaveLength(1);
    run.kill('SIGKILL');
    await run.done();
    expect(fx.files(fx.journalDir), 'the journal outlives the killed watch').toEqual(journal);
    const rb = await fx.run('rollback', [backupOf(run), '--journal-dir', fx.journalDir]);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(rb.stdout).toMatch(/equal the backup apart from server-managed fields; the interrupted apply's journal is cleared/);
    expect(intentOf(await fx.snapshot(scene.namespace))).toEqual(intentOf(before));
    expect(fx.files(fx.journalDir)).toEqual([]);
  });

  test('Ctrl-C mid-watch ends the watch and keeps the verified fix', { tag: ['@cluster'] }, async ({ fx, scene }) => {
    await labelTest('cluster', 'apply-fix --watch', 'SIGINT during the watch', 'normal');
    const run = scene.start(['--watch', '10m', '--watch-interval', '2s']);
    await run.waitFor(/^\s+round 1 {2}smoke ok/m, 180_000);
    const fixed = await fx.snapshot(scene.namespace);
    run.kill('SIGINT');
    const r = await run.done();
    expect(r.code, r.stdout + r.stderr).toBe(5);
    expect(r.stdout).toMatch(/^\[7\/7\] watch +SIGINT: watch ended after \d+ round\(s\), .* NOT rolled back/m);
    expect(r.stdout).toMatch(/^stopped: backendconfig-session-affinity stays applied and verified .*; to undo: npx tsx scripts\/rollback\.ts /m);
    expect(versionsOf(await fx.snapshot(scene.namespace))).toEqual(versionsOf(fixed));
    expect(fx.files(fx.journalDir)).toEqual([]);
  });
});

fixTest('bad --watch input: one line, exit 2, nothing changed', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
  fixTest.setTimeout(120_000);
  await labelTest('selftest', 'apply-fix --watch', 'bad --watch input', 'normal');
  const { namespace } = await fx.stage({ set: 'broken' });
  const before = await fx.snapshot(namespace);
  const cases: [string[], RegExp][] = [
    [['--watch', '10'], /^apply-fix: --watch "10" is not a duration \(e\.g\. 30s, 10m, 1h\)$/],
    [['--watch', '5m', '--dry-run'], /^apply-fix: --watch cannot be combined with --dry-run: a dry run applies nothing/],
    [['--watch-interval', '2s'], /^apply-fix: --watch-interval only applies with --watch <duration>$/],
    [['--watch', '5m', '--watch-target', 'local'], /^apply-fix: --watch-target local starts its own topology, which no change to the cluster reaches/],
    [['--watch', '5m', '--watch-target', 'production'], /^apply-fix: --watch-target: target production: hops\.lb\.url needs SOCKETPROOF_PRODUCTION_URL in the environment$/],
  ];
  for (const [args, message] of cases) {
    const r = await fx.applyFix(WATCHED_FIX, namespace, args, { SOCKETPROOF_PRODUCTION_URL: '' });
    expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
    expect(errorLine(r), args.join(' ')).toMatch(message);
  }
  expect(versionsOf(await fx.snapshot(namespace)), 'nothing was written').toEqual(versionsOf(before));
  expect(fx.files(fx.backupDir), 'no backup taken').toEqual([]);
  expect(fx.files(fx.journalDir)).toEqual([]);
});
