/** Plain HTTP(S) to etcd and kube-apiserver before any kubeconfig exists: a CA string and a bearer token. */
import http from 'node:http';
import https from 'node:https';

export interface HttpReply {
  status: number;
  body: string;
}

export function request(
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

/** The pause between polls and retries. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET /readyz with the CA of a state's admin kubeconfig; 'ok' when ready. */
export async function readyz(server: string, ca: string, token?: string): Promise<HttpReply> {
  return request(`${server}/readyz`, { ca, token, timeoutMs: 3000 });
}
