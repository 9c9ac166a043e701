/** Health endpoint: the path the load balancer's health check uses answers 200 with the expected JSON. */
import type { Verdict } from '../verdict';
import { type CheckContext, newProbe } from './context';
import { failedBeforeApp, summarizeExchange } from './diagnose';
import { VerdictBuilder, exchangesEvidence } from './evidence';
import { joinUrl } from '../probes/engineio';

export const healthCheckName = 'health';

function isSubset(expected: Record<string, unknown>, actual: unknown): boolean {
  if (!actual || typeof actual !== 'object') return false;
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).every(([k, v]) => JSON.stringify(record[k]) === JSON.stringify(v));
}

export async function healthCheck(ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const v = new VerdictBuilder(healthCheckName, hop.name, `GET ${target.healthPath} → 200 ${JSON.stringify(target.healthBody)}`);
  const probe = newProbe(ctx, 0);
  const ex = await probe.http.request('GET', joinUrl(hop.url, target.healthPath));
  v.attach(exchangesEvidence('health request', [ex]));
  const seen = summarizeExchange(ex);
  // No answer, TLS, or a proxy's 401/403: not the pod's health endpoint speaking, so not health-endpoint-down.
  const beforeApp = failedBeforeApp(ex, target);
  if (beforeApp) return v.fail(beforeApp.cause, beforeApp.observed);
  if (ex.status !== 200) return v.fail('health-endpoint-down', `${seen}: the load balancer would take this pod out of service`);
  let body: unknown;
  try {
    body = JSON.parse(ex.body);
  } catch {
    return v.fail('health-endpoint-down', `${seen}: the body is not JSON (is the path answered by the app instead of the health handler?)`);
  }
  if (!isSubset(target.healthBody, body)) return v.fail('health-endpoint-down', `${seen}: unexpected body`);
  return v.pass(seen);
}
