/**
 * kind-up's Kubernetes half against a real API server (the project's local kube-apiserver 1.34, the minor of the
 * kind node image): the production manifests and the kind overlay apply (NodePorts 30080/30081 allocated), the
 * affinity fault and the pod fault are server-side applied and given up again leaving the production Deployment
 * exactly as the manifests say (drift stays green), and a rollout that cannot happen (no controllers run here)
 * ends at its deadline with the pods' story. Needs the control plane binaries (docs/control-plane.md).
 */
import { expect, test } from '../../fixtures/base';
import { MANIFEST_FIELD_MANAGER, applyObjects } from '../../src/k8s/apply';
import { connect, getObject, serverSideApply } from '../../src/k8s/client';
import { BUILD_COMMAND, controlPlaneBinaries, startControlPlane } from '../../src/k8s/control-plane';
import { diffObjects, formatDiff } from '../../src/k8s/diff';
import { type K8sObject, stripServerFields } from '../../src/k8s/objects';
import { KindError } from '../../src/kind/cluster/kind-cluster';
import { FAULT_MANAGER, podFaultObjects, relinquishPodFault } from '../../src/kind/cluster/faults';
import { KIND_FIELD_MANAGER, overlayObjects, podDeployment, productionObjects } from '../../src/kind/cluster/manifests';
import { waitForRollout } from '../../src/kind/cluster/rollout';

test('kind manifests on a 1.34 API server: apply, fault, give up, rollout deadline', { tag: '@containers' }, async () => {
  test.skip(controlPlaneBinaries() === null && process.env.SOCKETPROOF_REQUIRE_CONTROL_PLANE !== '1', `no kube-apiserver: run \`${BUILD_COMMAND}\``);
  test.setTimeout(120_000);
  const cp = await startControlPlane();
  try {
    const conn = await connect({ kubeconfig: cp.adminKubeconfig, timeoutMs: 10_000 });
    const production = productionObjects();
    const dep = podDeployment(production);
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: dep.name, namespace: dep.namespace };
    await applyObjects(conn, production, { fieldManager: MANIFEST_FIELD_MANAGER, force: true });
    await applyObjects(conn, overlayObjects(), { fieldManager: KIND_FIELD_MANAGER, force: true });
    const svc = async (name: string) =>
      (await getObject(conn, { apiVersion: 'v1', kind: 'Service', name, namespace: dep.namespace }))?.spec as {
        sessionAffinity: string;
        ports: { nodePort: number }[];
      };
    expect((await svc('theia-nodeport')).ports[0]?.nodePort).toBe(30080);
    expect((await svc('theia-nodeport')).sessionAffinity).toBe('ClientIP');
    expect((await svc('theia-pod-nginx')).ports[0]?.nodePort).toBe(30081);

    await applyObjects(conn, overlayObjects({ affinity: 'None' }), { fieldManager: KIND_FIELD_MANAGER, force: true });
    expect((await svc('theia-nodeport')).sessionAffinity).toBe('None');
    await applyObjects(conn, overlayObjects(), { fieldManager: KIND_FIELD_MANAGER, force: true });
    expect((await svc('theia-nodeport')).sessionAffinity).toBe('ClientIP');

    const live = async (): Promise<K8sObject> => {
      const obj = await getObject(conn, ref);
      if (!obj) throw new Error(`${dep.namespace}/${dep.name} is missing`);
      return stripServerFields(obj);
    };
    const before = await live();
    const { configMap, patch } = podFaultObjects(dep);
    await serverSideApply(conn, configMap, { fieldManager: FAULT_MANAGER, force: true });
    await serverSideApply(conn, patch, { fieldManager: FAULT_MANAGER, force: true });
    const broken = JSON.stringify((await getObject(conn, ref))?.spec);
    expect(broken).toContain('SOCKETPROOF_NGINX_CONF');
    expect(broken).toContain('socketproof-fault-conf');
    await relinquishPodFault(conn, dep);
    const after = await live();
    // generation moved on; the spec is the manifests' again.
    expect(diffObjects(before.spec, after.spec).map(formatDiff)).toEqual([]);

    const err = await waitForRollout(conn, dep, 2000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KindError);
    expect((err as Error).message).toMatch(/Deployment theia\/theia did not roll out within 2 s \(updated 0, available 0 of 2\): no pods/);
  } finally {
    await cp.stop();
  }
});
