/**
 * The pieces every rendered nginx config shares, and how an nginx runs as an unprivileged per-test process.
 * Below nginx-pod.ts and nginx-lb.ts (which import it); importers outside use nginx-config.ts.
 */


/**
 * Where an nginx keeps its pid, logs and temp files.
 * `local`: everything under `prefix` (one directory per nginx of a topology), error log to a file AND to stderr at
 * `notice`, because "start worker process" on stderr is how the spawner knows the listen sockets are bound.
 * `production`: the in-pod layout of kind/pod/nginx.conf (writable /tmp, logs to the container's streams).
 */
export type NginxRuntime = { kind: 'local'; prefix: string; capacity?: NginxCapacity } | { kind: 'production' };

/**
 * Sizing of a local nginx for a load run (src/load/capacity.ts computes it): without it, the defaults every test
 * uses (one worker, 4096 connections), which are also production's pod config.
 */
export interface NginxCapacity {
  workers: number;
  /** Per worker; counts client AND upstream connections (a proxied WebSocket holds two). */
  connections: number;
}

export const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;

export function pidPath(rt: NginxRuntime): string {
  return rt.kind === 'local' ? `${rt.prefix}/nginx.pid` : '/tmp/nginx.pid';
}

export function errorLogLines(rt: NginxRuntime): string[] {
  return rt.kind === 'local'
    ? [`error_log ${rt.prefix}/error.log notice;`, 'error_log stderr notice;']
    : ['error_log stderr warn;'];
}

export function tempPathLine(rt: NginxRuntime, kind: (typeof TEMP_PATHS)[number]): string {
  return `${kind}_temp_path ${rt.kind === 'local' ? rt.prefix : '/tmp'}/${kind};`;
}

export function accessLogPath(rt: NginxRuntime): string {
  return rt.kind === 'local' ? `${rt.prefix}/access.log` : '/dev/stdout';
}

/** The top of every config: process, events, and the http-level runtime lines (ends inside `http {`). */
export function header(rt: NginxRuntime): string {
  const capacity = rt.kind === 'local' ? rt.capacity : undefined;
  return [
    '# Runtime files (pid, logs, temp) in a writable directory: nginx runs unprivileged.',
    `worker_processes ${capacity?.workers ?? 1};`,
    // A worker may hold all its connections plus its log and temp files: its own open-file limit must cover them.
    ...(capacity ? [`worker_rlimit_nofile ${capacity.connections + 256};`] : []),
    `pid ${pidPath(rt)};`,
    ...errorLogLines(rt),
    '',
    'events {',
    `    worker_connections ${capacity?.connections ?? 4096};`,
    '}',
    '',
    'http {',
    ...TEMP_PATHS.map((k) => `    ${tempPathLine(rt, k)}`),
    '',
    '    # $upstream_addr shows which backend answered: the evidence for affinity and routing checks.',
    `    log_format socketproof '$remote_addr [$time_local] "$request" $status $body_bytes_sent '`,
    `                           'up=$upstream_addr ust=$upstream_status rt=$request_time cache=$upstream_cache_status';`,
    `    access_log ${accessLogPath(rt)} socketproof;`,
    '',
    '    # Socket.IO messages (Theia: maxHttpBufferSize 1e8) travel as POST bodies while polling.',
    '    client_max_body_size 100m;',
    '',
    '    # "upgrade" for WebSocket handshakes, "close" otherwise (the socket.io docs\' reverse-proxy recipe).',
    '    map $http_upgrade $connection_upgrade {',
    '        default upgrade;',
    "        ''      close;",
    '    }',
  ].join('\n');
}

/** nginx time with millisecond precision (nginx accepts `ms`). */
export function ms(value: number): string {
  return `${Math.max(1, Math.round(value))}ms`;
}

/** Arguments that run nginx in the foreground under `prefix`, or only test the config (`-t -q`). */
export function nginxArgs(prefix: string, confPath: string, testOnly = false): string[] {
  const args = ['-p', `${prefix}/`, '-c', confPath, '-e', `${prefix}/error.log`];
  return testOnly ? [...args, '-t', '-q'] : [...args, '-g', 'daemon off;'];
}

export const NGINX_BINARY = process.env.SOCKETPROOF_NGINX ?? '/usr/sbin/nginx';
