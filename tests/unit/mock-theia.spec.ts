import { expect, test } from '../../fixtures/base';
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { checkHandshake } from '../../src/topology/mock-theia/gate';
import { type MockTheiaOptions, theiaDefaults } from '../../src/topology/mock-theia/options';
import { startMockTheia } from '../../src/topology/mock-theia/server';
import { createTerminalSession } from '../../src/topology/mock-theia/terminal-session';
import { interpret, splitArgs } from '../../src/topology/mock-theia/terminal-sim';

const HANDSHAKE = '/theia/socket.io/?EIO=4&transport=polling';
const ctx = { pod: 'pod-7', now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };

/** Starts a mock on an ephemeral port, with its log kept in memory (asserted on, and quiet in the test output). */
async function start(extra: Partial<MockTheiaOptions> = {}) {
  const logs: string[] = [];
  const opts = { ...theiaDefaults, pingInterval: 2000, pingTimeout: 3000, podName: 'pod-0', port: 0, ...extra };
  const server = await startMockTheia(opts, { log: (line) => logs.push(line) });
  return { server, logs, base: `http://127.0.0.1:${server.port}` };
}

/** What a probe must do first against Theia 1.74: GET any app path and keep the connection-token cookie. */
async function getCookie(base: string): Promise<string> {
  const res = await fetch(`${base}/theia/`);
  await res.text();
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

test.describe('terminal simulator (pure)', () => {
  test('echo and fixed commands', () => {
    expect(interpret('echo hi-123', ctx).lines).toEqual(['hi-123']);
    expect(interpret('echo "a  b" c', ctx).lines).toEqual(['a  b c']);
    expect(interpret('  ', ctx).lines).toEqual([]);
    expect(interpret('pwd', ctx).lines).toEqual(['/home/project']);
    expect(interpret('whoami', ctx).lines).toEqual(['theia']);
    expect(interpret('hostname', ctx).lines).toEqual(['pod-7']);
    expect(interpret('date', ctx).lines).toEqual(['Fri, 02 Jan 2026 03:04:05 GMT']);
    expect(interpret('ls', ctx).lines.length).toBeGreaterThan(0);
    expect(interpret('help', ctx).lines.join('\n')).toContain('echo');
    expect(interpret('clear', ctx)).toEqual({ lines: [], clear: true });
    expect(interpret('rm -rf /', ctx).lines).toEqual(['rm: command not found']);
    expect(splitArgs(`echo 'x y' "" z`)).toEqual(['echo', 'x y', '', 'z']);
  });

  test('line discipline: local echo, backspace, enter, escape sequences', () => {
    const s = createTerminalSession('pod-7');
    expect(s.open()).toMatch(/\$ $/);
    expect(s.input('echx')).toBe('echx');
    expect(s.input('\x7fo hi')).toBe('\b \bo hi');
    expect(s.input('\x1b[A')).toBe(''); // arrow up: swallowed
    expect(s.input('\r')).toBe('\r\nhi\r\n$ ');
    expect(s.input('\x7f')).toBe(''); // nothing to erase
    expect(s.input('nope\r\n')).toBe('nope\r\nnope: command not found\r\n$ ');
    expect(s.input('ab\x03')).toBe('ab^C\r\n$ ');
  });

  test('gate: Theia 1.74.1 rules (Origin only; THEIA_HOSTS by exact host, else Origin host = Host)', () => {
    const headers = { cookie: 'a=b; theia-connection-token=t', host: 'ide.example:8443', origin: 'http://ide.example:8443' };
    expect(checkHandshake(headers, { token: 't' }).ok).toBe(true);
    expect(checkHandshake(headers, { token: 't', allowedHosts: ['ide.example:8443'] }).ok).toBe(true);
    // ws-origin-validator.ts compares URL.host (with the port) against the THEIA_HOSTS entries as written.
    expect(checkHandshake(headers, { token: 't', allowedHosts: ['ide.example'] }).ok).toBe(false);
    expect(checkHandshake(headers, { token: 't', allowedHosts: ['other.example'] }).ok).toBe(false);
    // THEIA_HOSTS alone decides: a rewritten Host does not matter then.
    expect(checkHandshake({ ...headers, host: 'internal' }, { token: 't', allowedHosts: ['ide.example:8443'] }).ok).toBe(true);
    expect(checkHandshake({ ...headers, host: 'internal' }, { token: 't' }).ok).toBe(false);
    expect(checkHandshake(headers, { token: 'u' }).ok).toBe(false);
    expect(checkHandshake({ ...headers, origin: 'null' }, { token: 't' }).ok).toBe(false);
    // No Origin (a same-origin polling GET): not origin-checked; fix-origin is not read by 1.74.1.
    const { origin: _drop, ...noOrigin } = headers;
    expect(checkHandshake({ ...noOrigin, 'fix-origin': 'http://evil.example' }, { token: 't' }).ok).toBe(true);
  });
});

test.describe('mock Theia over HTTP', () => {
  let m: Awaited<ReturnType<typeof start>>;
  test.beforeAll(async () => {
    m = await start();
  });
  test.afterAll(async () => {
    await m.server.close();
  });

  test('page sets the connection-token cookie and the pod header', async () => {
    const res = await fetch(`${m.base}/theia/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('socket.io/socket.io.min.js');
    expect(res.headers.get('set-cookie')).toMatch(
      /^theia-connection-token=[0-9a-f-]{36}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(res.headers.get('x-socketproof-pod')).toBe('pod-0');
    // As Theia 1.74.1: a request that already carries this process's token gets no new cookie; another's gets one.
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${m.base}/theia/`, { headers: { cookie } })).headers.get('set-cookie')).toBeNull();
    const stale = await fetch(`${m.base}/theia/`, { headers: { cookie: 'theia-connection-token=other' } });
    expect(stale.headers.get('set-cookie')).toContain('theia-connection-token=');
    const redirect = await fetch(`${m.base}/theia`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/theia/']);
    const missing = await fetch(`${m.base}/nope`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Cannot GET /nope']);
  });

  test('handshake without the cookie is Forbidden (403, code 4)', async () => {
    const res = await fetch(m.base + HANDSHAKE);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 4, message: 'Forbidden' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('x-socketproof-pod')).toBe('pod-0');
    expect(m.logs.some((l) => l.includes('no theia-connection-token cookie'))).toBe(true);
  });

  test('handshake with the cookie opens with the configured timings', async () => {
    const cookie = await getCookie(m.base);
    const res = await fetch(m.base + HANDSHAKE, { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith('0{')).toBe(true);
    const open = JSON.parse(body.slice(1));
    expect(open).toMatchObject({ upgrades: ['websocket'], pingInterval: 2000, pingTimeout: 3000, maxPayload: 1e8 });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  test('Origin rule: foreign origin refused, same host accepted', async () => {
    const cookie = await getCookie(m.base);
    const foreign = await fetch(m.base + HANDSHAKE, { headers: { cookie, origin: 'http://localhost:1' } });
    expect(foreign.status).toBe(403);
    await foreign.text();
    const same = await fetch(m.base + HANDSHAKE, { headers: { cookie, origin: m.base } });
    expect(same.status).toBe(200);
    await same.text();
  });

  test('direct WebSocket upgrade: 400 without cookie, 101 with the pod header with it', async () => {
    const url = `ws://127.0.0.1:${m.server.port}/theia/socket.io/?EIO=4&transport=websocket`;
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('opened without cookie')));
      ws.on('error', () => {});
    });
    expect(refused).toBe(400);
    const cookie = await getCookie(m.base);
    const ws = new WebSocket(url, { headers: { cookie } });
    const [pod, first] = await new Promise<[string | undefined, string]>((resolve, reject) => {
      let header: string | undefined;
      ws.on('upgrade', (res) => {
        header = res.headers['x-socketproof-pod'] as string | undefined;
      });
      ws.once('message', (data) => resolve([header, String(data)]));
      ws.on('error', reject);
    });
    ws.close();
    expect(pod).toBe('pod-0');
    expect(first.startsWith('0{')).toBe(true);
  });

  test('raw polling probe: namespace CONNECT then hello', async () => {
    const cookie = await getCookie(m.base);
    const open = JSON.parse((await (await fetch(m.base + HANDSHAKE, { headers: { cookie } })).text()).slice(1));
    const url = `${m.base}${HANDSHAKE}&sid=${open.sid}`;
    const post = await fetch(url, { method: 'POST', body: '40/services,', headers: { cookie } });
    expect(await post.text()).toBe('ok');
    let received = '';
    for (let i = 0; i < 5 && !received.includes('hello'); i++) {
      received += `${await (await fetch(url, { headers: { cookie } })).text()}\x1e`;
    }
    const packets = received.split('\x1e').filter(Boolean);
    expect(packets[0]).toMatch(/^40\/services,\{"sid":"[^"]+"\}$/);
    expect(packets[1]).toBe('42/services,["hello",{"pod":"pod-0"}]');
  });
});

test.describe('mock Theia with allowedHosts (THEIA_HOSTS)', () => {
  test('an Origin host not listed is refused even when it matches Host', async () => {
    const m = await start({ allowedHosts: ['ide.example'] });
    try {
      const cookie = await getCookie(m.base);
      const res = await fetch(m.base + HANDSHAKE, { headers: { cookie, origin: m.base } });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ code: 4, message: 'Forbidden' });
      const noOrigin = await fetch(m.base + HANDSHAKE, { headers: { cookie } });
      expect(noOrigin.status).toBe(200);
      await noOrigin.text();
    } finally {
      await m.server.close();
    }
  });
});

test.describe('mock Theia with socket.io-client', () => {
  let m: Awaited<ReturnType<typeof start>>;
  let socket: Socket | undefined;
  test.beforeAll(async () => {
    m = await start();
  });
  test.afterEach(() => {
    socket?.close();
    socket = undefined;
  });
  test.afterAll(async () => {
    await m.server.close();
  });

  /** Connects `/services` like Theia's frontend (default transports: polling, then the upgrade). */
  async function connect(): Promise<{ socket: Socket; pod: string }> {
    const cookie = await getCookie(m.base);
    const s = ioClient(`${m.base}/services`, {
      path: '/theia/socket.io',
      extraHeaders: { cookie },
      reconnection: false,
    });
    socket = s;
    const pod = await new Promise<string>((resolve, reject) => {
      s.once('hello', (msg: { pod: string }) => resolve(msg.pod));
      s.once('connect_error', reject);
    });
    return { socket: s, pod };
  }

  test('connects /services, says hello, and ends on websocket', async () => {
    const { socket: s, pod } = await connect();
    expect(pod).toBe('pod-0');
    if (s.io.engine.transport.name !== 'websocket') {
      await new Promise((resolve) => s.io.engine.once('upgrade', resolve));
    }
    expect(s.io.engine.transport.name).toBe('websocket');
    const reply = await new Promise((resolve) => {
      s.once('initialConnection', resolve);
      s.emit('initialConnection', 'frontend-1');
    });
    expect(reply).toEqual({ frontendId: 'frontend-1', pod: 'pod-0' });
    expect(m.logs.some((l) => l.includes('"event":"connection"'))).toBe(true);
  });

  test('terminal: binary input is echoed and `echo` runs', async () => {
    const { socket: s } = await connect();
    let output = '';
    let allBinary = true;
    const done = new Promise<void>((resolve) => {
      s.on('terminal:output', (data: unknown) => {
        allBinary &&= Buffer.isBuffer(data); // output travels as binary Socket.IO messages
        output += String(data);
        if (/\r\nhi-123\r\n/.test(output)) resolve();
      });
    });
    s.emit('terminal:open');
    s.emit('terminal:input', new TextEncoder().encode('echo hi-123\r'));
    await done;
    expect(allBinary).toBe(true);
    expect(output).toContain('echo hi-123'); // local echo of the typed line
    expect(output.endsWith('$ ')).toBe(true);
  });
});
