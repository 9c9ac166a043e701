/**
 * Brings the kind target up (src/kind/cluster/deploy.ts): creates the cluster socketproof-<hash of this checkout> or
 * reuses it, builds and loads the pod image, applies the manifests, waits for the rollout, and prints where the
 * target answers. A second run reuses everything and takes seconds. Uses the Docker engine DOCKER_HOST names.
 *
 *   npx tsx scripts/kind-up.ts [--image <node image>]     (npm run kind:up -- --image …)
 *   SOCKETPROOF_KIND_NODE_IMAGE=<image>  the same setting (default: Kubernetes 1.34, see src/kind/settings.ts)
 */
import { kindUp } from '../src/kind/cluster/deploy';
import { PrerequisiteError } from '../src/kind/prerequisites';

const imageFlag = process.argv.indexOf('--image');
if (imageFlag > 0 && process.argv[imageFlag + 1]) process.env.SOCKETPROOF_KIND_NODE_IMAGE = process.argv[imageFlag + 1];
const started = Date.now();
const say = (m: string) => console.log(`[kind-up ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
try {
  const up = await kindUp({ createdBy: 'kind-up', onProgress: say });
  const steps = Object.entries(up.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
  say(`${up.cluster.created ? 'created' : 'reused'} cluster ${up.cluster.name} (${steps})`);
  console.log(`
  target kind answers at:
    lb         ${up.urls.lb}   (host port → NodePort 30080 → Service theia-nodeport, sessionAffinity ClientIP → pods)
    pod-nginx  ${up.urls['pod-nginx']}   (host port → NodePort 30081 → pod ${up.hopPod})
  pod image:   ${up.podImage}
  kubeconfig:  ${up.cluster.kubeconfig}

  run the suite:   npx playwright test --project=kind        (KEEP_CLUSTER=1 keeps a cluster the run creates)
  faults:          npx playwright test --project=kind-faults
  tear down:       npm run kind:down`);
} catch (err) {
  // One message, no stack: a missing prerequisite says what to install and how to run without kind.
  console.error(err instanceof PrerequisiteError ? err.message : `kind-up: ${(err as Error).message}`);
  process.exitCode = 1;
}
