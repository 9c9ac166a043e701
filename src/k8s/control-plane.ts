/**
 * A real, local Kubernetes control plane (kube-apiserver + etcd) for tests.
 *
 * The binaries are built from the published Go modules by the small Go module in
 * tools/control-plane/ (see docs/control-plane.md) into .cache/control-plane/bin/, or taken
 * from $KUBEBUILDER_ASSETS. startControlPlane() runs both on loopback with fresh credentials
 * (a CA, a serving cert, a service-account key, a static token file with an admin and a
 * restricted user) and writes two kubeconfigs. No controller manager, scheduler or kubelet
 * runs: objects are stored and validated, nothing reconciles them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as toYaml } from 'yaml';
import { $ } from 'zx';

/** Versions pinned by tools/control-plane/go.mod. */
export const KUBE_VERSION = 'v1.34.12';
export const ETCD_VERSION = 'v3.6.4';
/** The command that builds the binaries (quoted in skip messages and errors). */
export const BUILD_COMMAND = 'npx tsx scripts/control-plane.ts build';

export const ADMIN_USER = 'socketproof-admin';
export const RESTRICTED_USER = 'socketproof-viewer';
export const ADMIN_CONTEXT = 'socketproof-local-admin';
export const RESTRICTED_CONTEXT = 'socketproof-local-restricted';

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  /** [etcd, kube-apiserver]: each the leader of its own process group. */
  pids: number[];
  /** Wall time of startControlPlane(): ports, credentials, etcd, apiserver /readyz, RBAC binding, kubeconfigs. */
  startMs: number;
  /** Run id; the data dir is .cache/control-plane/run/<id>/. */
  id: string;
  dir: string;
  /** etcd's and kube-apiserver's logs (kept in memory after stop() deleted the data dir). */
  logs(): Promise<string>;
  /** Ends both process groups (TERM, then KILL after 10 s), waits for them, deletes the data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Project root (default: the one this file is in). */
  root?: string;
  /** Deadline for etcd health + apiserver /readyz (default 120 s: the first start on a busy 2-core machine is slow). */
  readyTimeoutMs?: number;
  /** Leave the processes running when this Node process exits (the CLI's `start`). Default: they are killed. */
  persistent?: boolean;
  /** Progress lines ("etcd healthy after 0.8 s", ...). */
  onProgress?: (msg: string) => void;
}

/** What start writes to <dir>/state.json, so that another process (the CLI's stop/status) can find it. */
export interface ControlPlaneState {
  id: string;
  dir: string;
  server: string;
  etcdUrl: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  processes: { name: 'etcd' | 'kube-apiserver'; pid: number; binary: string }[];
  startedAt: string;
  startMs: number;
  kubeVersion: string;
}

export interface BuildResult {
  skipped: boolean;
  ms: number;
  apiserver: string;
  etcd: string;
  hash: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_ROOT = path.resolve(HERE, '..', '..');

export function controlPlanePaths(root: string = DEFAULT_ROOT) {
  const cache = path.join(root, '.cache', 'control-plane');
  return {
    root,
    goModule: path.join(root, 'tools', 'control-plane'),
    cache,
    bin: path.join(cache, 'bin'),
    run: path.join(cache, 'run'),
    hashFile: path.join(cache, 'bin', 'build.sha256'),
  };
}

function isExecutable(file: string): boolean {
  try {
    return statSync(file).isFile() && (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Where kube-apiserver and etcd are: $KUBEBUILDER_ASSETS when set (not checked here: start fails
 * loudly if they are missing there), else the build cache when both were built; null otherwise.
 */
export function controlPlaneBinaries(root?: string): { apiserver: string; etcd: string } | null {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets) {
    return { apiserver: path.join(assets, 'kube-apiserver'), etcd: path.join(assets, 'etcd') };
  }
  const p = controlPlanePaths(root);
  const apiserver = path.join(p.bin, 'kube-apiserver');
  const etcd = path.join(p.bin, 'etcd');
  return isExecutable(apiserver) && isExecutable(etcd) ? { apiserver, etcd } : null;
}

// ---------------------------------------------------------------------------------------------
// Build

/** -X flags so that /version reports the real release instead of v0.0.0-master. */
const LDFLAGS = [
  `-X k8s.io/component-base/version.gitVersion=${KUBE_VERSION}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  '-X k8s.io/component-base/version.gitMinor=34',
  '-X k8s.io/component-base/version.gitTreeState=clean',
].join(' ');

function findGo(): string {
  if (process.env.GO) return process.env.GO;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  if (isExecutable('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('no Go toolchain found: put go on PATH, set $GO, or install it at /usr/local/go');
}

/** sha256 over what decides the binaries: go.mod, go.sum, the two mains, the ldflags. */
export function controlPlaneSourceHash(root?: string): string {
  const p = controlPlanePaths(root);
  const h = createHash('sha256');
  for (const rel of ['go.mod', 'go.sum', 'cmd/kube-apiserver/main.go', 'cmd/etcd/main.go']) {
    h.update(`${rel}\0`);
    h.update(readFileSync(path.join(p.goModule, rel)));
  }
  h.update(LDFLAGS);
  return h.digest('hex');
}

/**
 * Builds kube-apiserver and etcd into .cache/control-plane/bin/ (under `nice -n 19`). Skips when
 * both exist and the hash recorded beside them matches go.mod/go.sum/the mains. Cold (empty Go
 * caches) this takes many minutes on 2 cores; onProgress gets a line every ~15 s.
 */
export async function buildControlPlane(
  onProgress: (msg: string) => void = () => {},
  opts: { root?: string; force?: boolean } = {},
): Promise<BuildResult> {
  const p = controlPlanePaths(opts.root);
  const apiserver = path.join(p.bin, 'kube-apiserver');
  const etcd = path.join(p.bin, 'etcd');
  const hash = controlPlaneSourceHash(opts.root);
  const t0 = Date.now();
  const recorded = existsSync(p.hashFile) ? readFileSync(p.hashFile, 'utf8').trim() : '';
  if (!opts.force && recorded === hash && isExecutable(apiserver) && isExecutable(etcd)) {
    onProgress(`up to date (hash ${hash.slice(0, 12)} matches ${path.relative(p.root, p.hashFile)}): nothing to build`);
    return { skipped: true, ms: Date.now() - t0, apiserver, etcd, hash };
  }
  const go = findGo();
  mkdirSync(p.bin, { recursive: true });
  await fs.rm(p.hashFile, { force: true });
  onProgress(`building kube-apiserver ${KUBE_VERSION} and etcd ${ETCD_VERSION} with ${go} (nice -n 19) into ${p.bin}`);

  let packages = 0;
  let last = '';
  let stage = 'downloading modules';
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - t0) / 1000);
    onProgress(`  ... ${s}s elapsed: ${stage}${packages ? `, ${packages} packages compiled (last: ${last})` : ''}`);
  }, 15_000);
  try {
    const sh = $({ cwd: p.goModule, quiet: true, env: { ...process.env, GOFLAGS: '-buildvcs=false' } });
    await sh`nice -n 19 ${go} mod download`;
    stage = 'compiling';
    const proc = sh`nice -n 19 ${go} build -v -trimpath -ldflags ${LDFLAGS} -o ${`${p.bin}/`} ./cmd/kube-apiserver ./cmd/etcd`;
    let tail = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-8000);
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() && !line.startsWith('#') && !line.includes(' ')) {
          packages++;
          last = line.trim();
        }
      }
    });
    const out = await proc.nothrow();
    if (out.exitCode !== 0) {
      throw new Error(`go build failed (exit ${out.exitCode}) in ${p.goModule}:\n${tail.split('\n').slice(-40).join('\n')}`);
    }
  } finally {
    clearInterval(timer);
  }
  await fs.writeFile(p.hashFile, `${hash}\n`);
  const ms = Date.now() - t0;
  onProgress(`built ${packages} packages in ${(ms / 1000).toFixed(1)} s`);
  return { skipped: false, ms, apiserver, etcd, hash };
}

// ---------------------------------------------------------------------------------------------
// Start / stop

/** Ports the kernel hands out on 127.0.0.1 right now (all held open together, so distinct). */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((srv.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
  }
}

const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = socketproof
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

interface Credentials {
  caFile: string;
  ca: string;
  certFile: string;
  keyFile: string;
  saKey: string;
  saPub: string;
  tokenFile: string;
  adminToken: string;
  restrictedToken: string;
}

/** A CA and a 127.0.0.1/localhost serving cert (openssl), an RSA service-account key and a token file (Node crypto). */
async function makeCredentials(dir: string): Promise<Credentials> {
  const pki = path.join(dir, 'pki');
  await fs.mkdir(pki, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(pki, name);
  const pem = (kind: 'ec' | 'rsa') =>
    kind === 'ec'
      ? generateKeyPairSync('ec', {
          namedCurve: 'prime256v1',
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        })
      : generateKeyPairSync('rsa', {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        });
  const caKey = pem('ec');
  const serverKey = pem('ec');
  const sa = pem('rsa');
  await fs.writeFile(f('openssl.cnf'), OPENSSL_CNF);
  await fs.writeFile(f('ca.key'), caKey.privateKey, { mode: 0o600 });
  await fs.writeFile(f('apiserver.key'), serverKey.privateKey, { mode: 0o600 });
  await fs.writeFile(f('sa.key'), sa.privateKey, { mode: 0o600 });
  await fs.writeFile(f('sa.pub'), sa.publicKey);
  const sh = $({ cwd: pki, quiet: true });
  await sh`openssl req -x509 -new -key ca.key -config openssl.cnf -extensions v3_ca -subj /CN=socketproof-local-ca -days 7 -out ca.crt`;
  await sh`openssl req -new -key apiserver.key -config openssl.cnf -subj /CN=kube-apiserver -out apiserver.csr`;
  const serial = `0x${randomBytes(12).toString('hex')}`;
  await sh`openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -set_serial ${serial} -days 7 -extfile openssl.cnf -extensions v3_server -out apiserver.crt`;
  const adminToken = randomBytes(24).toString('hex');
  const restrictedToken = randomBytes(24).toString('hex');
  // token,user,uid,"group1,group2"
  await fs.writeFile(
    f('tokens.csv'),
    `${adminToken},${ADMIN_USER},${ADMIN_USER},"system:masters"\n${restrictedToken},${RESTRICTED_USER},${RESTRICTED_USER}\n`,
    { mode: 0o600 },
  );
  return {
    caFile: f('ca.crt'),
    ca: await fs.readFile(f('ca.crt'), 'utf8'),
    certFile: f('apiserver.crt'),
    keyFile: f('apiserver.key'),
    saKey: f('sa.key'),
    saPub: f('sa.pub'),
    tokenFile: f('tokens.csv'),
    adminToken,
    restrictedToken,
  };
}

function kubeconfig(server: string, ca: string, context: string, user: string, token: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'socketproof-local', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: 'socketproof-local', user, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  });
}

interface HttpReply {
  status: number;
  body: string;
}

function request(
  url: string,
  opts: { method?: string; token?: string; ca?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (payload) headers['Content-Type'] = 'application/json';
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      { method: opts.method ?? 'GET', headers, ca: opts.ca, timeout: opts.timeoutMs ?? 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tailFile(file: string, lines: number): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True when /proc says pid runs `binary` (guards against a recycled PID). */
function pidRuns(pid: number, binary: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
  } catch {
    return false;
  }
}

/** TERM the process group, wait up to graceMs, then KILL it and wait again. */
async function killGroup(pid: number, binary: string, graceMs = 10_000): Promise<void> {
  if (!pidAlive(pid) || !pidRuns(pid, binary)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  for (const [wait, next] of [
    [graceMs, 'SIGKILL'],
    [5000, null],
  ] as const) {
    const deadline = Date.now() + wait;
    while (pidAlive(pid) && Date.now() < deadline) await sleep(50);
    if (!pidAlive(pid)) return;
    if (next) signal(next);
  }
  throw new Error(`process ${pid} (${binary}) did not exit after SIGKILL`);
}

/** Ends the processes recorded in a state.json and deletes its data dir (used by the CLI's stop). */
export async function stopControlPlaneState(state: ControlPlaneState, root?: string): Promise<void> {
  // apiserver first, so it does not log etcd connection errors while going down
  for (const p of [...state.processes].reverse()) await killGroup(p.pid, p.binary);
  await removeRunDir(state.dir, root);
}

async function removeRunDir(dir: string, root?: string): Promise<void> {
  const run = controlPlanePaths(root).run;
  const rel = path.relative(run, path.resolve(dir));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`refusing to delete ${dir}: not under ${run}`);
  }
  await fs.rm(dir, { recursive: true, force: true });
}

/** The state.json of every run dir (running or not). */
export async function listControlPlanes(root?: string): Promise<ControlPlaneState[]> {
  const run = controlPlanePaths(root).run;
  const out: ControlPlaneState[] = [];
  let entries: string[] = [];
  try {
    entries = await fs.readdir(run);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    try {
      out.push(JSON.parse(await fs.readFile(path.join(run, e, 'state.json'), 'utf8')) as ControlPlaneState);
    } catch {
      /* not a finished start */
    }
  }
  return out;
}

/** GET /readyz with the CA of a state's admin kubeconfig; 'ok' when ready. */
export async function readyz(server: string, ca: string, token?: string): Promise<HttpReply> {
  return request(`${server}/readyz`, { ca, token, timeoutMs: 3000 });
}

interface ClusterRole {
  metadata: { name: string; labels?: Record<string, string> };
  rules?: unknown[];
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] };
}

/**
 * What the clusterrole-aggregation controller does, once: sets the rules of each aggregated
 * ClusterRole (view, then edit, then admin: each aggregates the one before) to the union of the
 * rules of the ClusterRoles its selectors match.
 */
async function aggregateClusterRoles(server: string, ca: string, token: string): Promise<void> {
  const base = `${server}/apis/rbac.authorization.k8s.io/v1/clusterroles`;
  const get = async (url: string) => {
    const r = await request(url, { ca, token });
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body);
  };
  for (const name of ['view', 'edit', 'admin']) {
    for (let attempt = 0; ; attempt++) {
      const role = (await get(`${base}/${name}`)) as ClusterRole;
      const rules = new Map<string, unknown>();
      for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
        const labelSelector = Object.entries(sel.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        const list = (await get(`${base}?labelSelector=${encodeURIComponent(labelSelector)}`)) as { items: ClusterRole[] };
        for (const item of list.items) {
          if (item.metadata.name === name) continue;
          for (const rule of item.rules ?? []) rules.set(JSON.stringify(rule), rule);
        }
      }
      const r = await request(`${base}/${name}`, { method: 'PUT', ca, token, body: { ...role, rules: [...rules.values()] } });
      if (r.status === 200) break;
      if (r.status !== 409 || attempt >= 5) throw new Error(`PUT ${base}/${name}: ${r.status} ${r.body.slice(0, 300)}`);
    }
  }
}

const live = new Set<ControlPlane>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cp of live) {
      for (const pid of cp.pids) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  });
}

/**
 * Starts etcd and kube-apiserver on free loopback ports and returns once /readyz is ok, the
 * restricted user is bound to the `view` ClusterRole and both kubeconfigs are written.
 */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const t0 = Date.now();
  const progress = opts.onProgress ?? (() => {});
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const bins = controlPlaneBinaries(opts.root);
  if (!bins) {
    throw new Error(`kube-apiserver and etcd are not built: run \`${BUILD_COMMAND}\` (or set KUBEBUILDER_ASSETS)`);
  }
  for (const b of [bins.apiserver, bins.etcd]) {
    if (!isExecutable(b)) throw new Error(`not an executable: ${b} (KUBEBUILDER_ASSETS=${process.env.KUBEBUILDER_ASSETS ?? ''})`);
  }
  const paths = controlPlanePaths(opts.root);
  const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(paths.run, id);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const logFiles = { etcd: path.join(dir, 'etcd.log'), apiserver: path.join(dir, 'kube-apiserver.log') };
  const children: { name: 'etcd' | 'kube-apiserver'; child: ChildProcess; binary: string }[] = [];
  let stopped: Promise<void> | undefined;
  let logSnapshot: string | undefined;

  const readLogs = async () => {
    if (logSnapshot !== undefined) return logSnapshot;
    const parts: string[] = [];
    const named: [string, string][] = [
      ['etcd', logFiles.etcd],
      ['kube-apiserver', logFiles.apiserver],
    ];
    for (const [name, file] of named) {
      parts.push(`===== ${name} (${file}) =====\n${await fs.readFile(file, 'utf8').catch(() => '(no log)')}`);
    }
    return parts.join('\n');
  };
  const stop = () => {
    stopped ??= (async () => {
      for (const c of [...children].reverse()) {
        if (c.child.pid) await killGroup(c.child.pid, c.binary);
      }
      logSnapshot = await readLogs();
      await removeRunDir(dir, opts.root);
      live.delete(cp);
    })();
    return stopped;
  };
  const cp: ControlPlane = {
    server: '',
    adminKubeconfig: path.join(dir, 'admin.kubeconfig'),
    restrictedKubeconfig: path.join(dir, 'restricted.kubeconfig'),
    pids: [],
    startMs: 0,
    id,
    dir,
    logs: readLogs,
    stop,
  };

  const launch = (name: 'etcd' | 'kube-apiserver', binary: string, args: string[], log: string) => {
    const fd = openSync(log, 'a');
    try {
      const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env } });
      child.on('error', () => {}); // reported through the exit checks below
      if (opts.persistent) child.unref();
      children.push({ name, child, binary });
      if (child.pid) cp.pids.push(child.pid);
      return child;
    } finally {
      closeSync(fd);
    }
  };
  const failure = async (what: string) => {
    const msg = [
      `control plane ${id}: ${what} (after ${since()})`,
      `--- last lines of ${logFiles.etcd} ---`,
      await tailFile(logFiles.etcd, 25),
      `--- last lines of ${logFiles.apiserver} ---`,
      await tailFile(logFiles.apiserver, 40),
    ].join('\n');
    await stop().catch(() => {});
    return new Error(msg);
  };

  if (!opts.persistent) {
    live.add(cp);
    installExitHook();
  }
  try {
    const creds = await makeCredentials(dir);
    const [etcdClient, etcdPeer, securePort] = (await freePorts(3)) as [number, number, number];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const server = `https://127.0.0.1:${securePort}`;
    cp.server = server;
    progress(`credentials in ${path.join(dir, 'pki')}, ports etcd ${etcdClient}/${etcdPeer}, apiserver ${securePort} (${since()})`);

    const etcd = launch(
      'etcd',
      bins.etcd,
      [
        '--name=socketproof',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=socketproof=http://127.0.0.1:${etcdPeer}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      logFiles.etcd,
    );
    const deadline = t0 + (opts.readyTimeoutMs ?? 120_000);
    for (;;) {
      if (etcd.exitCode !== null || etcd.signalCode !== null) throw await failure(`etcd exited (${etcd.exitCode ?? etcd.signalCode})`);
      const r = await request(`${etcdUrl}/health`, { timeoutMs: 2000 }).catch(() => undefined);
      if (r?.status === 200 && r.body.includes('"true"')) break;
      if (Date.now() > deadline) throw await failure(`etcd not healthy at ${etcdUrl}/health before the deadline`);
      await sleep(100);
    }
    progress(`etcd healthy at ${etcdUrl} (${since()})`);

    const apiserver = launch(
      'kube-apiserver',
      bins.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${securePort}`,
        `--cert-dir=${path.join(dir, 'pki')}`,
        `--tls-cert-file=${creds.certFile}`,
        `--tls-private-key-file=${creds.keyFile}`,
        `--token-auth-file=${creds.tokenFile}`,
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${creds.saPub}`,
        `--service-account-signing-key-file=${creds.saKey}`,
        '--authorization-mode=Node,RBAC',
        '--service-cluster-ip-range=10.96.0.0/16',
        // ServiceAccount admission rejects every Pod (also those a test creates directly) until a
        // `default` ServiceAccount exists, which only kube-controller-manager creates: off.
        '--disable-admission-plugins=ServiceAccount',
        // Endpoints may not hold loopback addresses, so the `kubernetes` Service's endpoints
        // cannot point at 127.0.0.1: don't reconcile them.
        '--endpoint-reconciler-type=none',
        '--profiling=false',
      ],
      logFiles.apiserver,
    );
    for (;;) {
      if (apiserver.exitCode !== null || apiserver.signalCode !== null) {
        throw await failure(`kube-apiserver exited (${apiserver.exitCode ?? apiserver.signalCode})`);
      }
      if (etcd.exitCode !== null || etcd.signalCode !== null) throw await failure(`etcd exited (${etcd.exitCode ?? etcd.signalCode})`);
      const r = await readyz(server, creds.ca, creds.adminToken).catch(() => undefined);
      if (r?.status === 200 && r.body.trim() === 'ok') break;
      if (Date.now() > deadline) {
        throw await failure(`kube-apiserver /readyz not ok before the deadline (last: ${r ? `${r.status} ${r.body.slice(0, 400)}` : 'no answer'})`);
      }
      await sleep(200);
    }
    progress(`kube-apiserver ready at ${server} (${since()})`);

    // admin/edit/view are aggregated ClusterRoles: their rules are filled in by
    // kube-controller-manager's clusterrole-aggregation controller, which does not run here.
    // Do its work once, so that binding to `view` grants what it grants in a real cluster.
    await aggregateClusterRoles(server, creds.ca, creds.adminToken).catch(async (e: Error) => {
      throw await failure(`aggregating the admin/edit/view ClusterRoles: ${e.message}`);
    });

    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${RESTRICTED_USER}-view`, labels: { 'app.kubernetes.io/managed-by': 'socketproof' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
    };
    for (let attempt = 0; ; attempt++) {
      const r = await request(`${server}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`, {
        method: 'POST',
        ca: creds.ca,
        token: creds.adminToken,
        body: binding,
      });
      if (r.status === 201 || r.status === 409) break;
      if (attempt >= 20) throw await failure(`creating ClusterRoleBinding ${binding.metadata.name}: ${r.status} ${r.body}`);
      await sleep(250);
    }

    await fs.writeFile(cp.adminKubeconfig, kubeconfig(server, creds.ca, ADMIN_CONTEXT, ADMIN_USER, creds.adminToken), {
      mode: 0o600,
    });
    await fs.writeFile(
      cp.restrictedKubeconfig,
      kubeconfig(server, creds.ca, RESTRICTED_CONTEXT, RESTRICTED_USER, creds.restrictedToken),
      { mode: 0o600 },
    );
    cp.startMs = Date.now() - t0;
    const state: ControlPlaneState = {
      id,
      dir,
      server,
      etcdUrl,
      adminKubeconfig: cp.adminKubeconfig,
      restrictedKubeconfig: cp.restrictedKubeconfig,
      processes: children.map((c) => ({ name: c.name, pid: c.child.pid ?? -1, binary: c.binary })),
      startedAt: new Date(t0).toISOString(),
      startMs: cp.startMs,
      kubeVersion: KUBE_VERSION,
    };
    await fs.writeFile(path.join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
    progress(`ready in ${(cp.startMs / 1000).toFixed(1)} s`);
    return cp;
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}
