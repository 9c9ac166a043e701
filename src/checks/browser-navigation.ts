/**
 * Why the browser could not open the app page, in the words the Node probes use for the same failure: a TLS
 * failure (Chromium's `net::ERR_CERT_*`, `net::ERR_SSL_PROTOCOL_ERROR`) gets the certificate's issuer or names
 * from a read-only handshake with the same trust (src/tls/explain.ts); a 401/403 from an authenticating proxy or
 * nginx's plain-HTTP-on-HTTPS answer is read like a probe's response (src/checks/refused-before-app.ts).
 */
import type { Response } from '@playwright/test';
import type { Exchange } from '../probes/http';
import { proxyFromEnv } from '../probes/network';
import { explainChromiumError } from '../tls/explain';
import type { CheckContext } from './context';
import type { Diagnosis } from './diagnose';
import { refusedBeforeApp } from './refused-before-app';

/** undefined when the page loaded (2xx/3xx); else the diagnosis of the failed navigation. */
export async function diagnoseNavigation(nav: Response | null | Error, url: string, ctx: CheckContext): Promise<Diagnosis | undefined> {
  const u = new URL(url);
  const request = `GET ${u.pathname}${u.search}`;
  if (nav instanceof Error) {
    const tls = await explainChromiumError(url, nav.message, { ca: ctx.ca, resolve: ctx.resolve, proxy: proxyFromEnv() });
    if (tls) return { cause: tls.cause, observed: `${request} → ${tls.message}` };
    return { cause: 'target-unreachable', observed: `the app page did not load: ${nav.message.split('\n')[0]}` };
  }
  if (nav?.ok()) return undefined;
  if (!nav) return { cause: 'unexpected-response', observed: 'the app page navigation returned no response' };
  const exchange: Exchange = {
    method: 'GET',
    url,
    requestHeaders: await nav.request().allHeaders().catch(() => ({})),
    status: nav.status(),
    responseHeaders: nav.headers(),
    body: await nav.text().catch(() => ''),
    ms: 0,
  };
  const before = refusedBeforeApp(exchange, ctx.target);
  if (before) return before;
  return { cause: nav.status() === 404 ? 'wrong-path' : 'unexpected-response', observed: `the app page answered ${nav.status()}` };
}
