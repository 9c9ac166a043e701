/**
 * The first request of every connection: GET /version with the context's credentials and a short deadline, so
 * an unreachable, untrusted or wrong server fails in seconds with its reason (the client itself has no timeout).
 */
import http from 'node:http';
import https from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

/** GET /version with the context's credentials and a deadline: reachable, trusted and authenticated, or why not. */
export async function probeVersion(kc: KubeConfig, server: string, timeoutMs: number): Promise<string> {
  const url = new URL('/version', server);
  const opts: https.RequestOptions = { method: 'GET', timeout: timeoutMs };
  await kc.applyToHTTPSOptions(opts);
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, opts, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        if (res.statusCode === 200) {
          try {
            resolve(String((JSON.parse(body) as { gitVersion?: string }).gitVersion ?? 'unknown'));
          } catch {
            reject(new Error(`/version answered 200 with a body that is not JSON: is ${server} a Kubernetes API server?`));
          }
        } else reject(new ApiException(res.statusCode ?? 0, 'version', body, {}));
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer to /version within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}
