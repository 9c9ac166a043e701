/**
 * A team's own load-balancer nginx config (SOCKETPROOF_LB_NGINX_CONF) put in front of the embedded pods.
 *
 * How the config reaches the pods: through its `upstream` blocks. Every distinct server address listed in them is
 * one pod, in order of first appearance (`server 10.8.0.11:8080` → pod-0, `server 10.8.0.12:8080` → pod-1); the
 * suite writes the pod's loopback port in its place and keeps every parameter (`weight`, `max_fails`, `backup`) and
 * every balancing directive (`ip_hash`, `hash … consistent`, `least_conn`). The same address in several upstreams
 * (one upstream for all pods, one per pod for cookie routing) is the same pod. No placeholders: the file tested is
 * the file deployed.
 *
 * Everything else stays as written, except what cannot run unprivileged on loopback: `listen` becomes one loopback
 * port per server block, runtime files (pid, logs, temp and cache paths) move under a private prefix, TLS is left
 * out (the local LB hop is plain HTTP; the certificate is production's), server blocks that send nothing to the pods
 * (an http→https redirect, a status page) are left out. The rewrite keeps the user's line numbers, so an error of
 * `nginx -t` on the copy names the user's own line.
 */
import { type Edit, applyEdits, parseStatements, type Statement } from './nginx-statements';
import { TEMP_PATHS } from './nginx-common';

/** A config that cannot be wired to the pods: `line` is the user's line the reason is about. */
export class LbConfigError extends Error {
  constructor(
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? reason : `line ${line}: ${reason}`);
  }
}

export interface LbPod {
  /** The address as the user's config writes it (`10.8.0.11:8080`, `theia-0.theia:8080`). */
  address: string;
  upstream: string;
  line: number;
}

export interface LbWiring {
  pods: LbPod[];
  /** What the run's header says about the config (the pods, what was left out and why). */
  notes: string[];
}

export interface LbPlace {
  listenPort: number;
  /** One loopback port per pod, in the order of `wiring.pods`. */
  backendPorts: number[];
  /** This nginx's own directory (pid, logs, temp files, caches). */
  prefix: string;
  /** Where relative `include`s resolve (production nginx reads its config from /etc/nginx). */
  includeDir?: string;
}

const MAX_PODS = 4;
const REFUSED = '127.0.0.1:1';

interface ProxyPass {
  st: Statement;
  scheme: string;
  host: string;
  rest: string;
  kind: 'upstream' | 'pod' | 'variable' | 'elsewhere';
}

function normalized(address: string, scheme = 'http'): string {
  if (address.startsWith('unix:') || /:\d+$/.test(address)) return address;
  return `${address}:${scheme === 'https' ? 443 : 80}`;
}

interface Analysis {
  sts: Statement[];
  pods: LbPod[];
  upstreamNames: Set<string>;
  passes: ProxyPass[];
  servers: { st: Statement; toPods: boolean }[];
}

function analyse(text: string): Analysis {
  const sts = parseStatements(text);
  const inHttp = (st: Statement) => st.context[0] === 'http';
  const upstreamNames = new Set(sts.filter((s) => s.opensBlock && s.words[0] === 'upstream' && inHttp(s)).map((s) => s.words[1] ?? ''));
  const pods: LbPod[] = [];
  for (const st of sts) {
    if (st.opensBlock || st.words[0] !== 'server' || st.context.at(-1) !== 'upstream' || !inHttp(st)) continue;
    const address = normalized(st.words[1] ?? '');
    const upstream = sts.filter((u) => u.words[0] === 'upstream' && u.start < st.start && (u.blockEnd ?? 0) > st.start).at(-1);
    if (!pods.some((p) => p.address === address)) pods.push({ address, upstream: upstream?.words[1] ?? '', line: st.line });
  }
  const passes: ProxyPass[] = [];
  for (const st of sts) {
    if (st.words[0] !== 'proxy_pass') continue;
    const m = /^(\w+):\/\/([^/]*)(.*)$/.exec(st.words[1] ?? '');
    if (!m) continue;
    const [, scheme = 'http', host = '', rest = ''] = m;
    const kind = host.includes('$')
      ? 'variable'
      : upstreamNames.has(host)
        ? 'upstream'
        : pods.some((p) => p.address === normalized(host, scheme))
          ? 'pod'
          : 'elsewhere';
    passes.push({ st, scheme, host, rest, kind });
  }
  const servers = sts
    .filter((s) => s.opensBlock && s.words[0] === 'server' && s.context.length === 1 && s.context[0] === 'http')
    .map((st) => ({
      st,
      toPods: passes.some((p) => p.kind !== 'elsewhere' && p.st.start > st.start && p.st.start < (st.blockEnd ?? 0)),
    }));
  return { sts, pods, upstreamNames, passes, servers };
}

/** How the config reaches the pods; throws LbConfigError (with the user's line) when it cannot be wired. */
export function lbWiring(text: string): LbWiring {
  const a = analyse(text);
  const firstPass = a.passes[0];
  if (a.pods.length === 0) {
    if (!firstPass) throw new LbConfigError(undefined, 'no proxy_pass: nothing in this config sends traffic to the pods');
    throw new LbConfigError(
      firstPass.st.line,
      `proxy_pass ${firstPass.st.words[1]} names no upstream of this file: list the pods in an \`upstream\` block (one \`server\` per pod) and proxy_pass to it; the suite puts the pods' loopback ports in place of its servers`,
    );
  }
  const [only] = a.pods;
  if (a.pods.length === 1 && only) {
    throw new LbConfigError(
      only.line,
      `upstream ${only.upstream} has one server (${only.address}): the suite runs one pod per server and needs at least 2 to test session affinity; list the pods (behind a Service address, kube-proxy balances, not this nginx)`,
    );
  }
  if (a.pods.length > MAX_PODS) {
    const extra = a.pods[MAX_PODS] as LbPod;
    throw new LbConfigError(extra.line, `the upstream servers name ${a.pods.length} pods (${extra.address} is pod ${MAX_PODS}): the embedded topology runs at most ${MAX_PODS}`);
  }
  const kept = a.servers.filter((s) => s.toPods);
  if (kept.length === 0) {
    throw new LbConfigError(a.servers[0]?.st.line, 'no server block proxies to the upstream servers: nothing would reach the pods');
  }
  const notes = [
    `pods: ${a.pods.map((p, i) => `${p.address} (line ${p.line}) → pod-${i}`).join(', ')}, from upstream ${[...new Set(a.pods.map((p) => p.upstream))].join(', ')}`,
  ];
  const ipHash = a.sts.find((s) => s.words[0] === 'ip_hash');
  if (ipHash) {
    notes.push(
      `ip_hash (line ${ipHash.line}) keys on the first three octets of the client's address: the checks' clients come from different /24s of 127/8 (the target's sourceAddresses), so it spreads them over the pods as it spreads real clients`,
    );
  }
  const left = a.servers.filter((s) => !s.toPods).map((s) => `the server block at line ${s.st.line} (it sends nothing to the pods)`);
  const tls = a.sts.find((s) => (s.words[0] === 'listen' && s.words.includes('ssl')) || /^ssl_certificate$/.test(s.words[0] ?? ''));
  if (tls) left.push(`TLS (line ${tls.line}): the local LB hop is plain HTTP, the certificate is production's`);
  for (const p of a.passes.filter((p) => p.kind === 'elsewhere')) {
    left.push(`proxy_pass ${p.st.words[1]} (line ${p.st.line}) is not a pod: it answers 502 here`);
  }
  if (left.length > 0) notes.push(`left out: ${left.join('; ')}`);
  const host = hostAsSent(a);
  if (host) {
    notes.push(
      `proxy_set_header Host $host (line ${host.line}) sends $http_host here: clients reach this nginx on port 80/443, where the Host they send has no port and both are the same; the local LB's port would make $host drop it`,
    );
  }
  return { pods: a.pods, notes };
}

/** The port a `listen` binds (80 when it names only an address). */
function listenPort(arg: string): number {
  const m = /(?:^|:)(\d+)$/.exec(arg);
  return m ? Number(m[1]) : 80;
}

/**
 * `proxy_set_header Host $host`: on 80/443 the Host a browser sends has no port, `$host` is that Host and Theia's
 * Origin rule holds. On the local LB's ephemeral port `$host` drops the port the browser's Origin carries: a false
 * origin-rejected. So where every server block that reaches the pods listens on 80 or 443, `$host` is sent as
 * `$http_host` (what it is on those ports); on any other port `$host` is kept, and its origin-rejected is real.
 */
function hostAsSent(a: Analysis): Statement | undefined {
  const kept = a.servers.filter((s) => s.toPods);
  const inKept = (st: Statement) => kept.some((s) => st.start > s.st.start && st.start < (s.st.blockEnd ?? 0));
  const ports = a.sts.filter((st) => st.words[0] === 'listen' && inKept(st)).map((st) => listenPort(st.words[1] ?? ''));
  if (!ports.every((p) => p === 80 || p === 443)) return undefined;
  return a.sts.find((st) => st.words[0] === 'proxy_set_header' && st.words[1]?.toLowerCase() === 'host' && st.words[2] === '$host');
}

/** A word as nginx reads it back: quoted when it holds a space, a quote or a special character. */
function word(w: string): string {
  return /[\s;{}#'"]/.test(w) || w === '' ? `'${w.replaceAll("'", "\\'")}'` : w;
}
const directive = (words: string[]) => `${words.map(word).join(' ')};`;

/**
 * The user's LB config on loopback, in front of the pods at `at.backendPorts`. Line numbers are kept. `unwired`:
 * without the wiring check, for `nginx -t` to speak first (a syntax error is the first thing to say about a file).
 */
export function rewriteUserLbConfig(text: string, at: LbPlace, opts: { unwired?: boolean } = {}): string {
  if (!opts.unwired) lbWiring(text);
  const a = analyse(text);
  const portOf = (address: string) => at.backendPorts[a.pods.findIndex((p) => p.address === address)] ?? 1;
  const edits: Edit[] = [];
  const replace = (st: Statement, with_: string) => edits.push({ start: st.start, end: st.end, text: with_ });
  const present = new Set<string>();
  let caches = 0;
  let defaultServer = false;
  const listened = new Set<Statement>();
  const hostHeader = hostAsSent(a) !== undefined;
  for (const st of a.sts) {
    const [name = '', ...args] = st.words;
    const main = st.context.length === 0;
    const tempKind = TEMP_PATHS.find((k) => name === `${k}_temp_path`);
    if (main && ['user', 'daemon', 'master_process', 'pid', 'error_log'].includes(name)) replace(st, '');
    else if (name === 'error_log') replace(st, directive(['error_log', `${at.prefix}/error.log`]));
    else if (name === 'access_log' && args[0] !== 'off') replace(st, directive(['access_log', `${at.prefix}/access.log`, ...args.slice(1)]));
    else if (tempKind) {
      present.add(tempKind);
      replace(st, directive([name, `${at.prefix}/${tempKind}`]));
    } else if (name === 'proxy_cache_path') replace(st, directive([name, `${at.prefix}/cache-${caches++}`, ...args.slice(1)]));
    else if (/^(ssl|proxy_ssl)(_|$)/.test(name) || ['http2', 'http3', 'quic'].includes(name)) replace(st, '');
    else if (name === 'listen' && st.context.at(-1) === 'server') {
      const server = a.servers.find((s) => st.start > s.st.start && st.start < (s.st.blockEnd ?? 0));
      const first = server && !listened.has(server.st);
      if (server) listened.add(server.st);
      const asDefault: boolean = Boolean(first && args.includes('default_server') && !defaultServer);
      defaultServer ||= asDefault;
      replace(st, first ? directive(['listen', `127.0.0.1:${at.listenPort}`, ...(asDefault ? ['default_server'] : [])]) : '');
    } else if (name === 'server' && !st.opensBlock && st.context.at(-1) === 'upstream' && st.context[0] === 'http') {
      replace(st, directive(['server', `127.0.0.1:${portOf(normalized(args[0] ?? ''))}`, ...args.slice(1)]));
    } else if (name === 'proxy_set_header' && hostHeader && args[0]?.toLowerCase() === 'host' && args[1] === '$host') {
      replace(st, directive([name, args[0], '$http_host', ...args.slice(2)]));
    } else if (name === 'include' && args[0] && !args[0].startsWith('/')) {
      replace(st, directive(['include', `${at.includeDir ?? '/etc/nginx'}/${args[0]}`]));
    }
  }
  for (const p of a.passes) {
    // The pods are plain HTTP on loopback: an https:// to them (or to their upstream) is spoken as http://.
    const scheme = p.kind === 'variable' ? p.scheme : 'http';
    const host = p.kind === 'pod' ? `127.0.0.1:${portOf(normalized(p.host, p.scheme))}` : p.kind === 'elsewhere' ? REFUSED : p.host;
    if (p.kind !== 'variable' || p.scheme !== scheme) replace(p.st, directive(['proxy_pass', `${scheme}://${host}${p.rest}`, ...p.st.words.slice(2)]));
  }
  for (const s of a.servers) {
    if (!s.toPods && !opts.unwired) edits.push({ start: s.st.start, end: s.st.blockEnd ?? s.st.end, text: '' });
    // A server without `listen` listens on *:80 (as root): give it the loopback port, on its own line.
    else if (!listened.has(s.st)) edits.push({ start: s.st.end, end: s.st.end, text: ` listen 127.0.0.1:${at.listenPort};` });
  }
  const http = a.sts.find((s) => s.opensBlock && s.words[0] === 'http' && s.context.length === 0);
  if (http) {
    const missing = TEMP_PATHS.filter((k) => !present.has(k)).map((k) => ` ${k}_temp_path ${at.prefix}/${k};`);
    edits.push({ start: http.end, end: http.end, text: missing.join('') });
  }
  // Prepended on the first line, so every later line keeps its number. stderr at notice: "start worker process"
  // there is how the spawner knows the listen sockets are bound.
  const top = `pid ${at.prefix}/nginx.pid; error_log ${at.prefix}/error.log notice; error_log stderr notice; `;
  return top + applyEdits(text, edits);
}
