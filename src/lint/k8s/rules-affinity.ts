/**
 * Session affinity, judged where the balancing happens (affinity.ts). Socket.IO's polling transport needs every
 * request of a session on the process that created it (socket.io docs, "Using multiple nodes"); Theia always
 * starts with polling, and nothing in a manifest says a client is WebSocket-only, so polling is assumed.
 *  - service-affinity-ignored: the Service "has affinity" but a balancer in front ignores it. Error when that
 *    balancer has no affinity of its own, info when it has (then the Service setting only serves in-cluster
 *    callers). Reported at the Service's sessionAffinity: that is the line people believe in.
 *  - replicas-without-affinity: several replicas and no affinity anywhere. A Service that sets sessionAffinity is
 *    left to the rule above, so one missing affinity is reported once.
 */
import type { Finding } from '../types';
import type { ManifestDoc } from '../yaml/documents';
import { backendConfigAffinity, behindGke, nginxRouting, serviceAffinity } from './affinity';
import { manifestFinding } from './finding';
import { type ManifestSet, nameOf, record, selectedWorkloads, workloadKinds } from './model';

function ignoredServiceAffinity(set: ManifestSet, service: ManifestDoc, value: string): Finding[] {
  const findings: Finding[] = [];
  const name = nameOf(service);
  const path = ['spec', 'sessionAffinity'];
  if (behindGke(set, service)) {
    const bc = backendConfigAffinity(set, service);
    findings.push(
      bc
        ? manifestFinding(
            'service-affinity-ignored',
            'info',
            service,
            path,
            `${name} sessionAffinity ${value} does nothing behind the GKE load balancer (kubernetes#53886); affinity comes from the BackendConfig (${bc}), this only serves in-cluster callers`,
          )
        : manifestFinding(
            'service-affinity-ignored',
            'error',
            service,
            path,
            `${name} sessionAffinity ${value} is ignored by the GKE load balancer (kubernetes#53886) and its BackendConfig sets no sessionAffinity: a session's polling requests reach different pods`,
            { fix: 'backendconfig-session-affinity' },
          ),
    );
  }
  const nginx = nginxRouting(set, service);
  if (nginx.routed && !nginx.viaClusterIp) {
    findings.push(
      nginx.affinity
        ? manifestFinding('service-affinity-ignored', 'info', service, path, `${name} sessionAffinity ${value} does nothing behind ingress-nginx (it sends to the endpoints); its affinity annotation does the work`)
        : manifestFinding(
            'service-affinity-ignored',
            'error',
            service,
            path,
            `${name} sessionAffinity ${value} is ignored by ingress-nginx (it sends to the endpoints, not the ClusterIP): set nginx.ingress.kubernetes.io/affinity: cookie on the Ingress`,
          ),
    );
  }
  return findings;
}

function replicasOf(workload: ManifestDoc): number {
  if (workload.object.kind === 'DaemonSet') return 2; // one pod per node: several as soon as the cluster has two nodes
  const replicas = record(workload.object.spec).replicas as unknown;
  return typeof replicas === 'number' ? replicas : 1;
}

export function affinityRules(set: ManifestSet): Finding[] {
  const findings: Finding[] = [];
  const services = set.ofKind('Service');
  for (const service of services) {
    const value = serviceAffinity(service);
    if (value) findings.push(...ignoredServiceAffinity(set, service, value));
  }
  for (const workload of set.docs.filter((d) => workloadKinds.includes(d.object.kind))) {
    const replicas = replicasOf(workload);
    if (replicas < 2) continue;
    const selecting = services.filter((s) => selectedWorkloads(set, s.object).includes(workload));
    if (selecting.length === 0) continue;
    const anywhere = selecting.some((s) => serviceAffinity(s) || backendConfigAffinity(set, s) || nginxRouting(set, s).affinity);
    if (anywhere) continue;
    const gke = selecting.some((s) => behindGke(set, s));
    findings.push(
      manifestFinding(
        'replicas-without-affinity',
        'error',
        workload,
        workload.object.kind === 'DaemonSet' ? ['metadata', 'name'] : ['spec', 'replicas'],
        `${nameOf(workload)} runs ${workload.object.kind === 'DaemonSet' ? 'a pod per node' : `${replicas} replicas`} behind ${selecting.map(nameOf).join(', ')} with no session affinity anywhere (${gke ? 'BackendConfig sessionAffinity' : 'nginx.ingress.kubernetes.io/affinity: cookie, or the Service sessionAffinity for in-cluster clients'}): Socket.IO polling gets 400 "Session ID unknown"`,
        gke ? { fix: 'backendconfig-session-affinity' } : {},
      ),
    );
  }
  return findings;
}
