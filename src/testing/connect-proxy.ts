/**
 * A minimal forward proxy (CONNECT tunnels, and absolute-URI requests for plain HTTP), for proving that every request the suite makes honours
 * HTTPS_PROXY: it records each tunnel's target, the CONNECT's User-Agent, and — for plain-HTTP targets — the first
 * request line and headers that crossed it. Loopback only; test use only.
 */
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface Tunnel {
  target: string;
  connectUserAgent?: string;
  /** First bytes the client sent through the tunnel (a request line and headers, when the target is plain HTTP). */
  firstRequest?: string;
}

export interface ConnectProxy {
  url: string;
  tunnels: Tunnel[];
  close(): Promise<void>;
}

export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  // Plain-HTTP requests in absolute form (`GET http://host/path`), as browsers send them for http:// targets.
  const server: Server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('absolute URI or CONNECT expected');
      return;
    }
    const headerLines = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`);
    tunnels.push({
      target: target.host,
      firstRequest: [`${req.method} ${target.pathname}${target.search} HTTP/${req.httpVersion}`, ...headerLines].join('\r\n'),
    });
    const upstream = request(target, { method: req.method, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const tunnel: Tunnel = { target: req.url ?? '', connectUserAgent: req.headers['user-agent'] };
    tunnels.push(tunnel);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.once('data', (chunk: Buffer) => {
      tunnel.firstRequest = chunk.toString('latin1').split('\r\n\r\n')[0];
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
