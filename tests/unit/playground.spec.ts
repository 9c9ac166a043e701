/**
 * The playground's pure pieces: the README walk-through as data (what the cluster spec runs and compares), the
 * front door that keeps a stable URL while topologies are replaced (and must keep the client's source address, or
 * CLIENT_IP affinity would see one client), and `rollback <fix-id>` picking that fix's newest backup.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { expect, test } from '../../fixtures/base';
import { endProcess } from '../../src/os/process';
import { isRunning, recordProcess } from '../../src/playground/state';
import { resolveBackupArg } from '../../src/fixes/engine/backup';
import { Refused } from '../../src/fixes/engine/outcome';
import { describeSettings } from '../../src/playground/follow';
import { projectRoot } from '../../src/paths';
import { startFrontDoor } from '../../src/topology/front-door';
import { missingLines, normalize, walkthroughSteps } from '../cluster/walkthrough';

const sample = [
  '# x',
  '### Walk-through: demo',
  '```console',
  '$ npm run playground -- broken',
  '[playground 10:13:16] ready (10.3 s)',
  '```',
  'text',
  '```console',
  '$ export A=1',
  '$ npm run diagnose -- playground',
  'handshake   lb   FAIL   session-affinity  GET …',
  '```',
  '```console',
  '[playground 10:13:56] re-read X',
  '^C',
  '[playground 10:15:54] stopped',
  '```',
  '<!-- end of walk-through -->',
  '```console',
  '$ not part of it',
  '```',
].join('\n');

test.describe('playground', { tag: '@unit' }, () => {
  test('the walk-through as steps: commands with their lines, the playground terminal continued, ^C', () => {
    expect(walkthroughSteps(sample)).toEqual([
      { kind: 'command', command: 'npm run playground -- broken', expected: ['[playground 10:13:16] ready (10.3 s)'] },
      { kind: 'command', command: 'export A=1', expected: [] },
      { kind: 'command', command: 'npm run diagnose -- playground', expected: ['handshake   lb   FAIL   session-affinity  GET …'] },
      { kind: 'command', expected: ['[playground 10:13:56] re-read X'], playgroundOutput: true },
      { kind: 'ctrl-c', expected: ['[playground 10:15:54] stopped'] },
    ]);
    expect(() => walkthroughSteps('# no walk-through')).toThrow(/no "### Walk-through"/);
  });

  test("the README's walk-through starts the playground and ends with one Ctrl-C", () => {
    const steps = walkthroughSteps(readFileSync(path.join(projectRoot, 'README.md'), 'utf8'));
    expect(steps[0]?.command).toBe('npm run playground -- broken');
    expect(steps.at(-1)?.kind).toBe('ctrl-c');
    expect(steps.filter((s) => s.kind === 'ctrl-c')).toHaveLength(1);
  });

  test('lines compare with digits, backup suffixes, spacing, colours and the checkout path masked; … ends a prefix', () => {
    const root = '/work/x';
    expect(normalize('\x1b[32m✓\x1b[39m  1 [playground] /work/x/a   (2.9s)', root)).toBe('✓ # [playground] /path/to/socketproof/a (#.#s)');
    expect(normalize('.cache/backups/20261202T101356Z-cdn-off-da57.json', root)).toBe('.cache/backups/#T#Z-cdn-off-xxxx.json');
    const output = 'handshake            lb     FAIL   session-affinity  GET /theia/ → 403\n  6 passed (29.5s)\n';
    expect(missingLines(['handshake lb FAIL session-affinity GET …', '  6 passed (1.0s)'], output, root)).toEqual([]);
    expect(missingLines(['handshake lb ok …', '  7 passed'], output, root)).toEqual(['handshake lb ok …', '  7 passed']);
  });

  test('the front door keeps the client source address and sends new connections where it is pointed', async () => {
    const seen: string[] = [];
    const server = (name: string) =>
      new Promise<Server>((resolve) => {
        const s = createServer((c) => {
          seen.push(`${name} ${c.remoteAddress?.replace(/^::ffff:/, '')}`);
          c.end('ok');
        });
        s.listen(0, '127.0.0.1', () => resolve(s));
      });
    const [a, b] = await Promise.all([server('a'), server('b')]);
    const portOf = (s: Server) => (s.address() as { port: number }).port;
    const door = await startFrontDoor(portOf(a));
    const call = (from: string) =>
      new Promise<string>((resolve, reject) => {
        let body = '';
        const c = connect({ port: door.port, host: '127.0.0.1', localAddress: from });
        c.on('data', (d) => {
          body += d.toString();
        });
        c.on('end', () => resolve(body));
        c.on('error', reject);
      });
    try {
      expect(await call('127.0.0.3')).toBe('ok');
      door.retarget(portOf(b));
      expect(await call('127.0.0.4')).toBe('ok');
      expect(seen).toEqual(['a 127.0.0.3', 'b 127.0.0.4']);
    } finally {
      await door.close();
      a.close();
      b.close();
    }
  });

  test('settings as a reader knows them', () => {
    expect(describeSettings({ replicas: 2, lb: { affinity: 'none', lifetimeCapMs: 500, cdnCache: false } })).toBe('replicas 2, affinity none, lifetime cap 500 ms, CDN off');
  });

  test('rollback <fix-id>: the newest backup of that fix; a path as given; an unknown fix refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-backups-'));
    for (const f of [
      '20261202T101356Z-backendconfig-timeout-aaaa.json',
      '20261202T101432Z-backendconfig-timeout-bbbb.json',
      '20261202T101500Z-backendconfig-timeout-extra-cccc.json',
      '20261202T101600Z-cdn-off-dddd.json',
    ]) {
      writeFileSync(path.join(dir, f), '{}');
    }
    expect(resolveBackupArg('backendconfig-timeout', dir)).toBe(path.join(dir, '20261202T101432Z-backendconfig-timeout-bbbb.json'));
    expect(resolveBackupArg('some/file.json', dir)).toBe('some/file.json');
    expect(() => resolveBackupArg('service-neg', dir)).toThrow(Refused);
    expect(() => resolveBackupArg('service-neg', dir)).toThrow(/no backup of fix "service-neg" in .*: pass a fix id that was applied, or the backup file apply-fix printed/);
  });
});

test('a recorded process that was killed but not yet reaped (a zombie) is not running: `stop` waits for no corpse', async () => {
  // `true &` exits at once; its parent then execs sleep, which never reaps it. A SIGKILLed topology process of a
  // killed playground is in this state until init reaps it, and `playground -- stop` must count it as ended.
  const parent = spawn('sh', ['-c', 'true & echo $!; exec sleep 30'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d).split('\n')[0] ?? ''))));
  try {
    const recorded = recordProcess(zombie, 'topology');
    expect(recorded.start, 'the zombie still has a start time in /proc').toMatch(/^\d+$/);
    await expect.poll(() => isRunning(recorded)).toBe(false);
    const alive = recordProcess(parent.pid ?? -1, 'topology');
    expect(isRunning(alive), 'a live recorded process runs').toBe(true);
    expect(isRunning({ ...alive, start: '1' }), 'same PID, another start time: not ours').toBe(false);
  } finally {
    await endProcess(parent.pid ?? -1, { graceMs: 2000 });
  }
});
