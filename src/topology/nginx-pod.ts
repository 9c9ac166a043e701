/**
 * The in-pod nginx in front of Theia. `renderPodConfig` with the production runtime IS kind/pod/nginx.conf (a unit
 * test keeps them equal), so the local topology runs the production proxy settings, only on other ports.
 * `rewriteUserPodConfig` runs a user's own production config the same way.
 */
import {
  accessLogPath,
  errorLogLines,
  header,
  type NginxRuntime,
  pidPath,
  TEMP_PATHS,
  tempPathLine,
} from './nginx-common';
import type { PodSettings } from './types';

export interface PodConfigPlace {
  /** `listen` argument: `127.0.0.1:<port>` locally, `8080` in the pod. */
  listen: string;
  /** Theia's port on the pod's loopback. */
  theiaPort: number;
  runtime: NginxRuntime;
  /**
   * The app behind serves at `/` (real Theia) while clients use `basePath`: the prefix is stripped on the way
   * (`proxy_pass http://…/;` replaces the matched location prefix). Without it the app serves under the prefix itself.
   */
  stripPrefix?: boolean;
}

export function renderPodConfig(pod: PodSettings, basePath: string, at: PodConfigPlace): string {
  const theia = `http://127.0.0.1:${at.theiaPort}`;
  const lines = [
    '# In-pod nginx in front of Eclipse Theia: the shape socketproof tests (rendered by src/topology/nginx-pod.ts).',
    header(at.runtime),
    '',
    '    server {',
    `        listen ${at.listen};`,
    '        # Redirects keep the Host the client used (behind a load balancer the pod port means nothing).',
    '        absolute_redirect off;',
    '',
    '        # Proxy settings at server level: every location below inherits them.',
    '        proxy_http_version 1.1;',
    ...(pod.forwardUpgrade
      ? [
          '        # Without these two the WebSocket upgrade fails: Engine.IO answers 400 "Bad request" (code 3).',
          '        proxy_set_header Upgrade $http_upgrade;',
          '        proxy_set_header Connection $connection_upgrade;',
        ]
      : []),
    '        # Theia rejects a browser whose Origin host differs from Host: pass the Host the browser sent.',
    '        proxy_set_header Host $http_host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    "        # A Theia WebSocket lives as long as the session; nginx's 60 s default would cut an idle one.",
    '        proxy_read_timeout 3600s;',
    '        proxy_send_timeout 3600s;',
    '        # Long-polling answers must reach the client as soon as Theia writes them.',
    '        proxy_buffering off;',
    ...(pod.dropSetCookie ? ['        proxy_hide_header Set-Cookie;'] : []),
    '',
    ...(pod.healthEndpoint
      ? [
          '        # Probes hit nginx itself: the pod is healthy when its proxy answers.',
          '        location = /health {',
          '            default_type application/json;',
          `            return 200 '{"status":"healthy"}';`,
          '        }',
          '',
        ]
      : []),
    // An app served at `/` needs neither the redirect nor a location of its own: `location /` below is its.
    ...(basePath === '/'
      ? []
      : [
          '        location = / {',
          `            return 302 ${basePath};`,
          '        }',
          '',
          ...(at.stripPrefix && pod.socketPrefixKept
            ? [
                '        # The Socket.IO path passed on with its prefix: the app (serving at /) does not know it.',
                `        location ${basePath}socket.io/ {`,
                `            proxy_pass ${theia};`,
                '        }',
                '',
              ]
            : []),
          `        # The app page and its Socket.IO endpoint (${basePath}socket.io/).`,
          `        location ${basePath} {`,
          ...(at.stripPrefix ? [`            # The app serves at /: strip ${basePath} (the trailing slash of proxy_pass does it).`] : []),
          `            proxy_pass ${theia}${at.stripPrefix ? '/' : ''};`,
          '        }',
          '',
        ]),
    "        # Anything else is Theia's to answer, its 404 included.",
    '        location / {',
    `            proxy_pass ${theia};`,
    '        }',
    '    }',
    '}',
    '',
  ];
  return lines.join('\n');
}

export interface UserConfigPlace {
  listenPort: number;
  theiaPort: number;
  /** This nginx's own directory (pid, logs, temp files). */
  prefix: string;
  /** Where relative `include`s resolve (production nginx reads its config from /etc/nginx). */
  includeDir?: string;
}

const LOOPBACK_UPSTREAM = /(?<![\w.])(127\.0\.0\.1|localhost|\[::1\]):\d+/;
/** `proxy_pass` may share a line with its location (`location /api/ { proxy_pass …; }`). */
const LOOPBACK_PROXY_PASS = /(\bproxy_pass\s+\w+:\/\/)(127\.0\.0\.1|localhost|\[::1\]):\d+/g;

/**
 * A user's production pod config, moved to loopback ports and a private prefix. Line-based: one directive per line,
 * as nginx configs are written in practice. Listen and loopback upstream addresses change, runtime files move into
 * `prefix`, `user`/`daemon`/`master_process` go (the topology runs nginx unprivileged in the foreground); every
 * proxy setting stays exactly as the user wrote it.
 */
export function rewriteUserPodConfig(text: string, at: UserConfigPlace): string {
  const rt: NginxRuntime = { kind: 'local', prefix: at.prefix };
  const present = new Set(TEMP_PATHS.filter((k) => new RegExp(`^\\s*${k}_temp_path\\s`, 'm').test(text)));
  const out: string[] = [];
  const stack: string[] = [];
  let wrotePid = false;
  let wroteErrorLog = false;
  let listenInThisServer = false;
  let defaultServer = false;
  for (const line of text.split('\n')) {
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const code = stripComment(line).trim();
    const word = /^[\w-]+/.exec(code)?.[0] ?? '';
    const top = stack.at(-1);
    const tempKind = TEMP_PATHS.find((k) => word === `${k}_temp_path`);
    let keep = [line];
    if (top === undefined && ['user', 'daemon', 'master_process'].includes(word)) keep = [];
    else if (top === undefined && word === 'pid') keep = wrotePid ? [] : [`pid ${pidPath(rt)};`];
    else if (top === undefined && word === 'error_log') keep = wroteErrorLog ? [] : errorLogLines(rt);
    else if (word === 'error_log') keep = [`${indent}error_log ${at.prefix}/error.log;`];
    else if (word === 'access_log' && !/^access_log\s+off\b/.test(code))
      keep = [`${indent}${code.replace(/^access_log\s+\S+?(;|\s)/, `access_log ${accessLogPath(rt)}$1`)}`];
    else if (tempKind) keep = [`${indent}${tempPathLine(rt, tempKind)}`];
    else if (word === 'listen') {
      const asDefault: boolean = /\bdefault_server\b/.test(code) && !defaultServer;
      defaultServer ||= asDefault;
      keep = listenInThisServer ? [] : [`${indent}listen 127.0.0.1:${at.listenPort}${asDefault ? ' default_server' : ''};`];
      listenInThisServer = true;
    } else if (word === 'upstream' || (word === 'server' && top === 'upstream'))
      keep = [line.replace(LOOPBACK_UPSTREAM, `127.0.0.1:${at.theiaPort}`)];
    else if (word === 'include' && !/^include\s+\//.test(code))
      keep = [`${indent}${code.replace(/^include\s+/, `include ${at.includeDir ?? '/etc/nginx'}/`)}`];
    wrotePid ||= word === 'pid' && top === undefined;
    wroteErrorLog ||= word === 'error_log' && top === undefined;
    out.push(...keep.map((l) => l.replace(LOOPBACK_PROXY_PASS, (_, pass) => `${pass}127.0.0.1:${at.theiaPort}`)));
    for (const ch of code.replace(/'[^']*'|"[^"]*"/g, '')) {
      if (ch === '{') {
        stack.push(word);
        if (word === 'server') listenInThisServer = false;
        if (word === 'http') out.push(...TEMP_PATHS.filter((k) => !present.has(k)).map((k) => `    ${tempPathLine(rt, k)}`));
      } else if (ch === '}') stack.pop();
    }
  }
  if (!wroteErrorLog) out.unshift(...errorLogLines(rt));
  if (!wrotePid) out.unshift(`pid ${pidPath(rt)};`);
  return out.join('\n');
}

/** The line without its `#` comment (a `#` inside quotes is not a comment). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) quote = ch === quote ? '' : quote;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}
