/**
 * The kind target's Playwright projects, kept here so playwright.config.ts only splices them in:
 *   kind-containers       the pod image as Docker containers on a private engine, the container-level faults, the
 *                         cluster config and the prerequisite messages (part of `npm test`; runs without a registry)
 *   kind                  the target project (traffic and browser specs, from targets/kind.yaml), after kind-cluster
 *   kind-cluster          setup: create or reuse the cluster, load the image, apply, wait for the rollout; its
 *                         teardown deletes the cluster unless KEEP_CLUSTER=1 or the cluster was there before
 *   kind-faults           the faults a kind cluster can show (affinity off, Upgrade stripped in the pod)
 *   kind-node-image       the node image socketproof/kind-node built (or found up to date) and read back (kind-cluster
 *                         creates the cluster from it when kindest/node cannot be pulled, building it if needed)
 */
import type { PlaywrightTestConfig } from '@playwright/test';

type Projects = NonNullable<PlaywrightTestConfig['projects']>;

export const CONTAINERS_PROJECT = 'kind-containers';
export const NODE_IMAGE_PROJECT = 'kind-node-image';

/** The target projects, with `kind` depending on the cluster setup. */
export function withKindCluster(projects: Projects): Projects {
  return projects.map((p) => (p.name === 'kind' ? { ...p, dependencies: [...(p.dependencies ?? []), 'kind-cluster'] } : p));
}

/**
 * The extra projects for the projects named on the command line (none when no kind project is named). Workers
 * load the config without the runner's --project flags, so the runner's choice travels in the environment.
 */
export function kindProjects(namedInRunner: string[], targets: string[]): Projects {
  process.env.SOCKETPROOF_KIND_PROJECTS ??= namedInRunner.filter((n) => n === CONTAINERS_PROJECT || n === 'kind-faults' || n === NODE_IMAGE_PROJECT).join(',');
  const named = process.env.SOCKETPROOF_KIND_PROJECTS.split(',');
  const projects: Projects = [];
  if (named.includes(CONTAINERS_PROJECT)) {
    projects.push({
      name: CONTAINERS_PROJECT,
      testMatch: ['kind/containers.spec.ts', 'kind/prerequisites.spec.ts', 'kind/cluster-config.spec.ts', 'kind/kind-create.spec.ts', 'kind/deploy-apply.spec.ts'],
    });
  }
  const faults = named.includes('kind-faults');
  const cluster = targets.includes('kind') || faults;
  if (named.includes(NODE_IMAGE_PROJECT)) {
    // Cold: the Go builds and two debootstraps take many minutes (docs/kind.md); warm: seconds. Not a dependency of
    // kind-cluster: where kindest/node can be pulled, nobody needs this image.
    projects.push({ name: NODE_IMAGE_PROJECT, testMatch: 'kind/node-image.spec.ts', timeout: 3_600_000 });
  }
  if (cluster) {
    // Cluster creation and the pod image build take minutes.
    projects.push({
      name: 'kind-cluster',
      testMatch: 'kind/cluster.setup.ts',
      teardown: 'kind-cluster-teardown',
      timeout: 900_000,
    });
    projects.push({ name: 'kind-cluster-teardown', testMatch: 'kind/cluster.teardown.ts', timeout: 300_000 });
  }
  if (faults) {
    // After the traffic specs when both run: the faults change the cluster they test.
    projects.push({
      name: 'kind-faults',
      testMatch: ['kind/cluster-faults.spec.ts', 'kind/affinity-sources.spec.ts'],
      dependencies: targets.includes('kind') ? ['kind'] : ['kind-cluster'],
      timeout: 600_000,
    });
  }
  return projects;
}
