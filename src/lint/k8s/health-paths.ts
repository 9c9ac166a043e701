/**
 * The paths the load balancer health-checks, from the manifests: BackendConfig healthCheck.requestPath, else the
 * readiness probes GKE copies its health check from (ingress-gce pkg/healthchecks). The nginx configs of the same
 * run must answer them (nginx-health-path).
 */
import { specOf } from '../../k8s/backendconfig-spec';
import { containersOf, type ManifestSet, workloadKinds } from './model';

export function healthPaths(set: ManifestSet): string[] {
  const paths = new Set<string>();
  for (const bc of set.ofKind('BackendConfig')) {
    const path = specOf(bc.object).healthCheck?.requestPath;
    if (path) paths.add(path);
  }
  for (const w of set.docs.filter((d) => workloadKinds.includes(d.object.kind))) {
    for (const c of containersOf(w.object)) {
      const path = c.readinessProbe?.httpGet?.path;
      if (path) paths.add(path);
    }
  }
  return [...paths];
}
