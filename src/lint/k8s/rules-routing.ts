/**
 * Traffic and health checks must meet the same container. GKE health-checks a Service port through its
 * BackendConfig healthCheck (port, requestPath: ingress-gce pkg/healthchecks/healthchecks.go); when that port is
 * not the one the Ingress sends traffic to, the load balancer judges one container and serves from another. On
 * the combined pod this is the classic "Ingress routes to Theia's port, past the in-pod nginx" (nginx answers
 * /health and forwards the upgrade; Theia answers neither health nor, behind a prefix, the right paths).
 */
import { resolveBackendConfig } from '../../k8s/backend-config-annotation';
import { specOf } from '../../k8s/backendconfig-spec';
import type { Finding } from '../types';
import { manifestFinding } from './finding';
import { containersOf, list, nameOf, findServicePort, ingressBackends, ingressController, type ManifestSet, selectedWorkloads, servingContainer } from './model';

export function routingRules(set: ManifestSet): Finding[] {
  const findings: Finding[] = [];
  for (const ingress of set.ofKind('Ingress')) {
    if (ingressController(ingress.object, set) !== 'gke') continue;
    for (const backend of ingressBackends(ingress.object)) {
      const service = set.find('Service', backend.service, ingress.object.metadata.namespace);
      const port = service && findServicePort(service.object, backend.port);
      if (!service || !port) continue;
      const r = resolveBackendConfig(service.object, port.name ?? port.port);
      const bc = r.ok ? set.find('BackendConfig', r.name, service.object.metadata.namespace) : undefined;
      const hcPort = bc ? specOf(bc.object).healthCheck?.port : undefined;
      if (hcPort === undefined) continue;
      for (const workload of selectedWorkloads(set, service.object)) {
        const serving = servingContainer(workload.object, port);
        if (!serving || serving.containerPort === hcPort) continue;
        const checked = containersOf(workload.object).find((c) => list<{ containerPort: number }>(c.ports).some((p) => p.containerPort === hcPort))?.name;
        findings.push(
          manifestFinding(
            'health-check-port-mismatch',
            'error',
            ingress,
            backend.path,
            `${nameOf(ingress)} sends ${backend.route} to ${nameOf(service)} port ${port.name ?? port.port} (container ${serving.container.name}:${serving.containerPort}), but ${nameOf(bc as NonNullable<typeof bc>)} health-checks port ${hcPort}${checked ? ` (container ${checked})` : ''}: route to the port the health check covers`,
            { fix: 'routing-to-combined-service' },
          ),
        );
      }
    }
  }
  return findings;
}
