/**
 * ingress-nginx's own timeout: `nginx.ingress.kubernetes.io/proxy-read-timeout` (seconds; the controller's
 * default is 60, docs/user-guide/nginx-configuration/annotations.md "Custom timeouts") is nginx's
 * proxy_read_timeout, so the socket.io rule applies: above pingInterval + pingTimeout.
 */
import type { Finding, LintOptions } from '../types';
import { formatMs } from '../nginx/time';
import { manifestFinding } from './finding';
import { annotationsOf, ingressController, type ManifestSet, nameOf } from './model';

const key = 'nginx.ingress.kubernetes.io/proxy-read-timeout';

export function ingressNginxRules(set: ManifestSet, options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const pingSum = options.pingIntervalMs + options.pingTimeoutMs;
  for (const ingress of set.ofKind('Ingress')) {
    if (ingressController(ingress.object, set) !== 'nginx') continue;
    const raw = annotationsOf(ingress.object)[key];
    const seconds = raw === undefined ? 60 : Number(raw);
    if (Number.isNaN(seconds) || seconds * 1000 > pingSum) continue;
    findings.push(
      manifestFinding(
        'nginx-read-timeout',
        'error',
        ingress,
        raw === undefined ? ['metadata', 'name'] : ['metadata', 'annotations', key],
        `${nameOf(ingress)}: ${raw === undefined ? `no ${key} (ingress-nginx defaults to 60 s)` : `${key} ${raw}`} is not above pingInterval + pingTimeout (${formatMs(pingSum)}): set it to "3600"`,
      ),
    );
  }
  return findings;
}
