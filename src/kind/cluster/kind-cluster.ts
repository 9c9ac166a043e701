/**
 * The kind cluster itself, through the kind CLI: create (or reuse by name), load an image, delete. kind's own
 * failures are turned into the project's messages: a node image that cannot be pulled, host ports in use, no
 * daemon; anything else keeps kind's last lines and says how to get its logs. Never a stack trace.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { type Docker, dockerEnv, dockerRaw, tail } from '../docker-engine/cli';
import { PrerequisiteError, nodeImageError } from '../prerequisites';
import { clusterConfigFile, kubeconfigPath, portMappings, statePath } from '../settings';

export interface KindCluster {
  name: string;
  kubeconfig: string;
  /** True when this call created it (false: reused). */
  created: boolean;
  ms: number;
}

export class KindError extends Error {}

export interface KindContext {
  docker: Docker;
  kind: string;
  name: string;
  image: string;
  config?: string;
  /** Where kind writes the kubeconfig (default: the checkout's, which targets/kind.yaml names). */
  kubeconfig?: string;
  /** Recorded when this call creates the cluster: the Playwright teardown deletes only what Playwright created. */
  createdBy?: 'kind-up' | 'playwright';
  onProgress?: (m: string) => void;
}

const kindSh = (c: KindContext, timeoutMs = 900_000) => $({ env: dockerEnv(c.docker), nothrow: true, quiet: true, timeout: timeoutMs });

export async function clusterExists(c: KindContext): Promise<boolean> {
  const out = await kindSh(c, 60_000)`${c.kind} get clusters`;
  return out.stdout.split('\n').map((l) => l.trim()).includes(c.name);
}

export async function createOrReuseCluster(c: KindContext): Promise<KindCluster> {
  const t0 = Date.now();
  const kubeconfig = c.kubeconfig ?? kubeconfigPath();
  mkdirSync(path.dirname(kubeconfig), { recursive: true });
  if (await clusterExists(c)) {
    c.onProgress?.(`reusing kind cluster ${c.name}`);
    const out = await kindSh(c, 60_000)`${c.kind} export kubeconfig --name ${c.name} --kubeconfig ${kubeconfig}`;
    if (out.exitCode !== 0) throw new KindError(`kind export kubeconfig --name ${c.name} failed: ${tail(out.stderr)}`);
    return { name: c.name, kubeconfig, created: false, ms: Date.now() - t0 };
  }
  const config = c.config ?? clusterConfigFile;
  c.onProgress?.(`kind create cluster --name ${c.name} --image ${c.image} --config ${path.relative(process.cwd(), config)}`);
  // --kubeconfig: kind would otherwise write into the user's ~/.kube/config and switch its current context.
  const out = await kindSh(c)`${c.kind} create cluster --name ${c.name} --image ${c.image} --config ${config} --kubeconfig ${kubeconfig} --wait 180s`;
  if (out.exitCode !== 0) throw await explainCreateFailure(c, `${out.stdout}\n${out.stderr}`);
  writeFileSync(statePath(c.name), `${JSON.stringify({ name: c.name, image: c.image, createdBy: c.createdBy ?? 'kind-up', createdAt: new Date().toISOString() })}\n`);
  return { name: c.name, kubeconfig, created: true, ms: Date.now() - t0 };
}

/** kind's failure output → the project's message. Exported for the unit test of each pattern. */
export async function explainCreateFailure(c: KindContext, output: string): Promise<Error> {
  if (/failed to pull image/i.test(output)) {
    // kind 0.33 passes docker's reason on ("Command Output: …"); older ones say only "exit status 1": then one
    // pull of our own gets it (DNS, refused, unauthorized…).
    const quoted = /Command Output: (.+)/.exec(output)?.[1]?.trim();
    const reason = quoted ?? tail((await dockerRaw(c.docker, ['pull', c.image], { timeoutMs: 120_000 })).stderr || output, 1);
    return nodeImageError(c.image, reason);
  }
  if (/port is already allocated|address already in use/i.test(output)) {
    const ports = portMappings().map((p) => `${p.listenAddress}:${p.hostPort}`);
    return new PrerequisiteError('ports', `a host port kind/cluster.yaml maps (${ports.join(', ')}) is in use (${tail(output, 1)}).`, 'stop what listens there (ss -ltnp), or change hostPort in kind/cluster.yaml and the URLs in targets/kind.yaml.');
  }
  if (/Cannot connect to the Docker daemon|failed to connect to the docker API/i.test(output)) {
    return new PrerequisiteError('daemon', `kind could not reach the Docker daemon (${tail(output, 1)}).`, 'start Docker, or npm run docker:start and export the DOCKER_HOST it prints.');
  }
  return new KindError(
    `kind create cluster --name ${c.name} failed: ${tail(output, 4)}\n  kind deletes a half-made cluster itself; to keep it for its logs, run kind create cluster --retain … then kind export logs --name ${c.name}`,
  );
}

export async function loadImage(c: KindContext, images: string[]): Promise<void> {
  for (const image of images) {
    c.onProgress?.(`kind load docker-image ${image}`);
    const out = await kindSh(c, 600_000)`${c.kind} load docker-image ${image} --name ${c.name}`;
    if (out.exitCode !== 0) throw new KindError(`kind load docker-image ${image} --name ${c.name} failed: ${tail(out.stderr)}`);
  }
}

export async function deleteCluster(c: Pick<KindContext, 'docker' | 'kind' | 'name' | 'kubeconfig'>): Promise<void> {
  const kubeconfig = c.kubeconfig ?? kubeconfigPath();
  const out = await kindSh(c as KindContext, 300_000)`${c.kind} delete cluster --name ${c.name} --kubeconfig ${kubeconfig}`;
  if (out.exitCode !== 0) throw new KindError(`kind delete cluster --name ${c.name} failed: ${tail(out.stderr)}`);
  rmSync(statePath(c.name), { force: true });
  rmSync(kubeconfig, { force: true });
}

/** Who created the cluster from this checkout (undefined: not created here, e.g. the user's `kind create`). */
export function createdBy(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(statePath(name), 'utf8')) as { createdBy?: string }).createdBy;
  } catch {
    return undefined;
  }
}
