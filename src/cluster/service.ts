/**
 * The Service's GKE annotations: which BackendConfig applies (the one place GKE reads affinity, timeout and CDN
 * from), and container-native load balancing (NEGs), without which the load balancer targets nodes and
 * kube-proxy spreads each node's share over the pods, so no affinity holds per pod (ingress-gce#516).
 */
import { VerdictBuilder } from '../checks/evidence';
import type { Verdict } from '../verdict';
import { attachedBackendConfig, type ClusterCheckContext, clusterHop, isVerdict, readObject } from './context';
import { serviceRef } from './expectation';
import { describeRef } from '../k8s/objects';

export async function serviceBackendConfigCheck(ctx: ClusterCheckContext): Promise<Verdict> {
  const v = new VerdictBuilder(
    'service-backend-config',
    clusterHop,
    `Service ${ctx.expect.names.service} carries cloud.google.com/backend-config as valid JSON naming an existing BackendConfig for port ${ctx.expect.servicePort}`,
  );
  const bc = await attachedBackendConfig(ctx, v);
  if (isVerdict(bc)) return bc;
  const note = bc.metadata.name === ctx.expect.names.backendConfig ? '' : ` (the target names ${ctx.expect.names.backendConfig})`;
  return v.pass(`${describeRef(serviceRef(ctx.expect))} → BackendConfig ${bc.metadata.name}${note}`);
}

export const negAnnotation = 'cloud.google.com/neg';

export async function serviceNegCheck(ctx: ClusterCheckContext): Promise<Verdict> {
  const v = new VerdictBuilder(
    'service-neg',
    clusterHop,
    `Service ${ctx.expect.names.service} has ${negAnnotation}: '{"ingress": true}' (the load balancer targets pods, so affinity holds per pod)`,
  );
  const service = await readObject(ctx, v, serviceRef(ctx.expect));
  if (isVerdict(service)) return service;
  const where = describeRef(serviceRef(ctx.expect));
  const raw = service.metadata.annotations?.[negAnnotation];
  if (raw === undefined) {
    return v.fail(
      'session-affinity',
      `${where} has no ${negAnnotation} annotation: the load balancer targets nodes and kube-proxy re-balances across pods, so a session's requests can reach different pods despite BackendConfig affinity`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return v.fail('manifest-invalid', `${where} annotation ${negAnnotation} is not valid JSON: ${JSON.stringify(raw)}`);
  }
  if ((parsed as { ingress?: unknown } | null)?.ingress !== true) {
    return v.fail('session-affinity', `${where} annotation ${negAnnotation} is ${raw}: no NEG for the Ingress, so affinity does not hold per pod`);
  }
  return v.pass(`${where} has ${negAnnotation}: ${raw}`);
}
