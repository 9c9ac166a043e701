/**
 * Where a user's own pod nginx config sends the app's paths, asked of nginx itself rather than read from the file:
 * the config (ports rewritten) runs in front of a recorder that notes the path each request arrives with. A
 * `location /theia/ { proxy_pass http://127.0.0.1:3000/; }` strips the prefix (the app is served at `/`), one
 * without a URI keeps it; regex locations, rewrites and includes are nginx's business, so whatever nginx does is
 * what the embedded app is then served behind. A path nginx answers itself (a 404, a redirect) reaches nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { rewriteUserPodConfig } from './nginx-config';
import { startNginx } from './nginx-process';
import { freePort } from '../os/ports';

export interface ForwardedPath {
  /** The path the client asked for. */
  asked: string;
  /** The path the upstream received, or undefined when nginx did not forward it. */
  forwarded?: string;
}

export async function forwardedPaths(userConfig: string, paths: string[], prefix: string): Promise<ForwardedPath[]> {
  const received: string[] = [];
  const recorder = createServer((req, res) => {
    received.push(new URL(`http://x${req.url ?? '/'}`).pathname);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('recorded');
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (recorder.address() as AddressInfo).port;
  const listenPort = await freePort();
  const dir = join(prefix, 'nginx-pod-paths');
  const text = rewriteUserPodConfig(userConfig, { listenPort, theiaPort: upstreamPort, prefix: dir });
  const { proc } = await startNginx(prefix, { name: 'nginx-pod-paths.conf', text });
  try {
    const out: ForwardedPath[] = [];
    for (const asked of paths) {
      const before = received.length;
      await fetch(`http://127.0.0.1:${listenPort}${asked}`, { redirect: 'manual' }).then((r) => r.arrayBuffer());
      out.push({ asked, forwarded: received.length > before ? received.at(-1) : undefined });
    }
    return out;
  } finally {
    await proc.stop();
    await new Promise<void>((resolve) => recorder.close(() => resolve()));
  }
}
