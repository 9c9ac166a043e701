import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readCookie } from './gate';
import { TOKEN_COOKIE } from './options';

/**
 * The "express" part of the mock: the page and its assets. As Theia 1.74.1's cookie middleware, every response this
 * handler gives to a request WITHOUT this process's token (none, or another replica's) sets the connection-token
 * cookie; one that already carries it gets none. Engine.IO answers before it (as in Theia), so socket.io responses
 * never do.
 */

interface Asset {
  type: string;
  body: string;
}

const pageDir = fileURLToPath(new URL('./page/', import.meta.url));
const require = createRequire(import.meta.url);

/** Script src for the socket.io client, relative when possible so it survives a proxy that strips a prefix. */
export function clientScriptSrc(basePath: string, socketPath: string): string {
  const sock = socketPath.endsWith('/') ? socketPath : `${socketPath}/`;
  const rel = sock.startsWith(basePath) ? sock.slice(basePath.length) : sock;
  return `${rel}socket.io.min.js`;
}

/** Reads every asset once at start so a request never waits on the disk. Keyed by path relative to basePath. */
export async function loadAssets(basePath: string, socketPath: string, opts: { workspaceTrust?: boolean } = {}): Promise<Map<string, Asset>> {
  const [html, terminal, xtermJs, xtermCss] = await Promise.all([
    readFile(`${pageDir}index.html`, 'utf8'),
    readFile(`${pageDir}terminal.js`, 'utf8'),
    readFile(require.resolve('@xterm/xterm/lib/xterm.js'), 'utf8'),
    readFile(require.resolve('@xterm/xterm/css/xterm.css'), 'utf8'),
  ]);
  const src = clientScriptSrc(basePath, socketPath).replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return new Map<string, Asset>([
    [
      '',
      {
        type: 'text/html; charset=utf-8',
        body: html.replace('%SOCKET_IO_CLIENT%', src).replace('%WORKSPACE_TRUST%', String(opts.workspaceTrust === true)),
      },
    ],
    ['terminal.js', { type: 'text/javascript; charset=utf-8', body: terminal }],
    ['xterm.js', { type: 'text/javascript; charset=utf-8', body: xtermJs }],
    ['xterm.css', { type: 'text/css; charset=utf-8', body: xtermCss }],
  ]);
}

export function createAppHandler(basePath: string, token: string, assets: Map<string, Asset>) {
  const cookie = `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
  const bareBase = basePath.replace(/\/$/, '');

  return (req: IncomingMessage, res: ServerResponse): void => {
    if (readCookie(req.headers.cookie, TOKEN_COOKIE) !== token) res.setHeader('Set-Cookie', cookie);
    const { pathname: path, search } = new URL(`http://x${req.url ?? '/'}`);
    const method = req.method ?? 'GET';
    const asset =
      (method === 'GET' || method === 'HEAD') && path.startsWith(basePath)
        ? assets.get(path.slice(basePath.length))
        : undefined;

    if (asset) {
      res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
      res.end(method === 'HEAD' ? undefined : asset.body);
    } else if (method === 'GET' && bareBase !== '' && path === bareBase) {
      // Theia's frontend derives the socket path from location.pathname, so the trailing slash matters.
      res.writeHead(302, { Location: basePath + search, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Found. Redirecting to ${basePath}`);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Cannot ${method} ${path}`);
    }
  };
}
