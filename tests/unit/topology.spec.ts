import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '../../fixtures/base';
import { healthySettings } from '../../src/topology/defaults';
import { startLifetimeRelay } from '../../src/topology/lifetime-relay';
import { spawnManaged } from '../../src/os/managed-process';
import { killRegistered } from '../../src/os/pid-registry';
import { endProcess, pidAlive, startTime } from '../../src/os/process';
import { PATHS } from '../../src/paths';
import { startTopology } from '../../src/topology/topology';

const alive = pidAlive;
/** PIDs whose parent is this test process: a torn-down topology leaves none. */
const children = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(process.pid);
      } catch {
        return false;
      }
    })
    .map(Number);

test.describe('local topology', () => {
  test('a healthy topology answers through every hop, and stop ends every process', async () => {
    const started = Date.now();
    const topo = await startTopology(healthySettings());
    test.info().annotations.push({ type: 'start ms', description: String(Date.now() - started) });
    const prefix = dirname(dirname(/^pid (\S+);$/m.exec(topo.configs[0]?.text ?? '')?.[1] ?? '/'));
    try {
      expect(topo.pids()).toHaveLength(5); // 2 Theia, 2 pod nginx, 1 LB
      expect(topo.configs.map((c) => c.name)).toEqual(['nginx-lb.conf', 'nginx-pod-0.conf', 'nginx-pod-1.conf']);
      expect(existsSync(prefix)).toBe(true);

      const health = await fetch(`${topo.hopUrls.lb}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'healthy' });
      expect((await fetch(`${topo.hopUrls['pod-nginx']}/health`)).status).toBe(200);
      expect((await fetch(`${topo.hopUrls.pod}/health`)).status).toBe(404); // Theia itself has no /health

      const page = await fetch(`${topo.hopUrls.lb}/theia/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toMatch(/^theia-connection-token=[\w-]+; Path=\//);
      expect(page.headers.get('x-socketproof-pod')).toMatch(/^pod-[01]$/);
      const logs = await topo.logs();
      expect(logs.find((l) => l.name === 'nginx-lb.access.log')?.text).toContain('GET /theia/ HTTP/1.1" 200');
    } finally {
      await topo.stop();
    }
    for (const pid of topo.pids()) expect(alive(pid), `pid ${pid} still alive`).toBe(false);
    expect(existsSync(prefix)).toBe(false);
    await topo.stop(); // idempotent
    expect((await topo.logs()).length).toBeGreaterThan(0); // kept for a report written after stop
  });

  test('a start that fails half-way throws one line and leaves no process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'socketproof-broken-'));
    const before = new Set(children());
    try {
      writeFileSync(join(dir, 'nginx.conf'), 'events {}\nhttp { server { listen 80; no_such_directive on; } }\n');
      const settings = healthySettings({ pod: { nginxConfigFile: join(dir, 'nginx.conf') } });
      const error: Error = await startTopology(settings).then(
        () => new Error('started'),
        (e: Error) => e,
      );
      expect(error.message).toMatch(/^local topology did not start: nginx-pod-(\d|paths): nginx -t rejected .*no_such_directive/);
      expect(error.message).not.toContain('\n');
      expect(children().filter((pid) => !before.has(pid))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('lifetime relay', () => {
  let echo: Server;
  let echoPort = 0;
  test.beforeAll(async () => {
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as { port: number }).port;
  });
  test.afterAll(() => new Promise<void>((r) => echo.close(() => r())));

  test('cuts a busy connection at the cap and leaves a shorter one alone', async () => {
    const relay = await startLifetimeRelay({ targetPort: echoPort, capMs: 400 });
    try {
      // Busy: a byte every 50 ms, so no idle timeout could ever fire; only its age ends it.
      const busy = connect(relay.port, '127.0.0.1');
      const started = Date.now();
      const timer = setInterval(() => busy.write('x'), 50);
      let echoed = 0;
      busy.on('data', (d) => {
        echoed += d.length;
      });
      const busyLifetime = new Promise<number>((r) => busy.on('close', () => r(Date.now() - started)));
      busy.on('error', () => {});

      // Short: one exchange, then a normal close before the cap.
      const short = connect(relay.port, '127.0.0.1');
      short.on('connect', () => short.end('hello'));
      let shortReply = '';
      short.on('data', (d) => {
        shortReply += d;
      });
      const shortClose = new Promise<boolean>((r) => short.on('close', (hadError) => r(hadError)));

      expect(await shortClose).toBe(false);
      expect(shortReply).toBe('hello');
      const lived = await busyLifetime;
      clearInterval(timer);
      expect(lived).toBeGreaterThanOrEqual(380);
      expect(lived).toBeLessThan(1000);
      expect(echoed).toBeGreaterThan(3);
      expect(relay.cuts()).toBe(1);
    } finally {
      await relay.close();
    }
  });
});

test.describe('process helper', () => {
  test('an early exit or a missed deadline throws one line with the output, and nothing survives', async () => {
    const before = new Set(children());
    const exits = spawnManaged({
      name: 'exits',
      command: 'sh',
      args: ['-c', 'echo first; echo boom >&2; exit 3'],
      ready: { line: /never/ },
      deadlineMs: 5000,
    });
    await expect(exits).rejects.toThrow(/^exits \(pid \d+\) exited \(code 3\): (first \| boom|boom \| first)$/);
    const started = Date.now();
    const slow = spawnManaged({ name: 'slow', command: 'sleep', args: ['30'], ready: { port: 1 }, deadlineMs: 200 });
    await expect(slow).rejects.toThrow(/^slow \(pid \d+\) not ready after 200 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(children().filter((pid) => !before.has(pid))).toEqual([]);
  });

  test('killRegistered does not report an ended child that waits to be reaped (a zombie) as left over', async () => {
    // `true &` exits at once; its parent then execs sleep, which never reaps it: a zombie with its start time intact.
    const parent = spawn('sh', ['-c', 'true & echo $!; exec sleep 30'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((r) => parent.stdout.once('data', (d) => r(String(d).split('\n')[0] ?? ''))));
    const file = join(PATHS.pidRegistry, `${2 ** 22 + 1}-0`); // an owner that cannot exist: a killed run
    try {
      await expect.poll(() => alive(zombie)).toBe(false);
      mkdirSync(PATHS.pidRegistry, { recursive: true });
      writeFileSync(file, `${zombie} ${startTime(zombie)} ended-child\n`);
      expect(killRegistered()).not.toContain(`ended-child (pid ${zombie})`);
      expect(existsSync(file), 'the dead owner\'s file is removed').toBe(false);
    } finally {
      rmSync(file, { force: true });
      await endProcess(parent.pid ?? -1, { graceMs: 2000 });
    }
  });

  test('killRegistered ends what a killed owner left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'socketproof-owner-'));
    const script = join(dir, 'owner.mts');
    const helper = new URL('../../src/os/managed-process.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      `import { spawnManaged } from ${JSON.stringify(helper)};
       const p = await spawnManaged({ name: 'orphan', command: 'sh', args: ['-c', 'echo up; exec sleep 30'],
         ready: { line: /up/ }, deadlineMs: 5000 });
       process.stdout.write(\`\${p.pid}\\n\`); // not console.log: FORCE_COLOR would colour the number`,
    );
    try {
      // The owner prints its child's PID and is then SIGKILLed: no exit hook runs, the child survives it.
      const owner = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pid = Number(await new Promise<string>((r) => owner.stdout.once('data', (d) => r(String(d)))));
      owner.kill('SIGKILL');
      await new Promise((r) => owner.once('exit', r));
      expect(alive(pid)).toBe(true);
      expect(killRegistered()).toContain(`orphan (pid ${pid})`);
      await expect.poll(() => alive(pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
