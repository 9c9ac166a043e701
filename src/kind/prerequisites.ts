/**
 * What the kind target needs, checked in the order a user would fix it (CLI, daemon, kind, node image), each with
 * one message that says what is missing, how to install it, and how to run the same checks without it. A missing
 * prerequisite is an error, never a skip: a run that could not test anything must not look green.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { type Docker, describeHost, dockerRaw, imageExists, tail } from './docker-engine/cli';
import { BUILD_KIND_COMMAND, KIND_VERSION, kindBinaryPath } from './settings';

export const LOCAL_ALTERNATIVE =
  'Without Docker, the same checks run against the embedded local topology: npx playwright test --project=local';

export class PrerequisiteError extends Error {
  constructor(
    /** Short name of what is missing: `docker`, `daemon`, `kind`, `node-image`, `engine`, `debootstrap`. */
    readonly missing: string,
    problem: string,
    fix: string,
  ) {
    super(`kind target: ${problem}\n  fix: ${fix}\n  or:  ${LOCAL_ALTERNATIVE}`);
    this.name = 'PrerequisiteError';
  }
}

export async function requireDockerCli(d: Docker): Promise<string> {
  const out = await dockerRaw(d, ['--version']).catch((err: unknown) => ({ exitCode: 127, stdout: '', stderr: String(err) }));
  if (out.exitCode !== 0) {
    throw new PrerequisiteError(
      'docker',
      `no docker command ("${d.bin}" ${out.exitCode === 127 ? 'is not installed or not on PATH' : `failed: ${tail(out.stderr)}`}).`,
      'install Docker (Debian: apt-get install docker.io; elsewhere https://docs.docker.com/engine/install/), or point SOCKETPROOF_DOCKER at the CLI.',
    );
  }
  return out.stdout.trim();
}

/** The server version; an unreachable daemon names the address it tried. */
export async function requireDaemon(d: Docker): Promise<string> {
  await requireDockerCli(d);
  const out = await dockerRaw(d, ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
  if (out.exitCode !== 0 || !out.stdout.trim()) {
    throw new PrerequisiteError(
      'daemon',
      `no Docker daemon answers at ${describeHost(d)} (${tail(out.stderr, 1)}).`,
      'start Docker (systemctl start docker), or on a machine without one start the project\'s private engine as root: ' +
        'npm run docker:start, then export the DOCKER_HOST it prints.',
    );
  }
  return out.stdout.trim();
}

/** The kind binary: SOCKETPROOF_KIND, else the one `npm run kind:build` made, else `kind` on PATH. */
export async function requireKind(env = process.env): Promise<string> {
  const candidates = env.SOCKETPROOF_KIND ? [env.SOCKETPROOF_KIND] : [kindBinaryPath(), ...onPath('kind', env)];
  const found = candidates.find(isExecutable);
  if (!found) {
    throw new PrerequisiteError(
      'kind',
      `no kind binary (looked at ${candidates.join(', ') || 'PATH'}).`,
      `${BUILD_KIND_COMMAND} (go install sigs.k8s.io/kind@${KIND_VERSION} into .cache/bin; needs Go and the Go module ` +
        'proxy), or install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    );
  }
  const version = await $({ nothrow: true, quiet: true })`${found} version`;
  if (version.exitCode !== 0) {
    throw new PrerequisiteError('kind', `${found} does not run (${tail(version.stderr)}).`, `rebuild it: ${BUILD_KIND_COMMAND}`);
  }
  return found;
}

/**
 * The node image must be on the engine or pullable. kind would try the pull itself (5 attempts over ~10 s) and
 * end with "failed to pull image"; this names the reason docker gave and what to do on a machine without a registry.
 */
export async function requireNodeImage(d: Docker, image: string): Promise<void> {
  if (await imageExists(d, image)) return;
  const pull = await dockerRaw(d, ['pull', image], { timeoutMs: 300_000 });
  if (pull.exitCode === 0) return;
  throw nodeImageError(image, tail(pull.stderr, 1));
}

export function nodeImageError(image: string, reason: string): PrerequisiteError {
  return new PrerequisiteError(
    'node-image',
    `the kind node image ${image} is not on this Docker engine and cannot be pulled (${reason}): no image registry is reachable from here.`,
    'on a machine with registry access, `docker pull` it and `docker save` it to a file; here, `docker load -i <file>` ' +
      '(or build one with `kind build node-image`, Kubernetes <= 1.34 on cgroup v1 hosts) and select it with ' +
      'SOCKETPROOF_KIND_NODE_IMAGE=<image>.',
  );
}

/** The private engine and the pod image build: root, dockerd, runc and debootstrap from Debian. */
export function requireEngineTools(env = process.env): { dockerd: string; runc: string } {
  const dockerd = ['/usr/sbin/dockerd', ...onPath('dockerd', env)].find(isExecutable);
  const runc = ['/usr/sbin/runc', '/usr/bin/runc', ...onPath('runc', env)].find(isExecutable);
  if (!dockerd || !runc) {
    throw new PrerequisiteError(
      'engine',
      `no ${dockerd ? 'runc' : 'dockerd'} binary for the project's private Docker engine.`,
      'apt-get install docker.io (Debian 12 ships dockerd 20.10, containerd and runc).',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new PrerequisiteError('engine', 'the private Docker engine needs root (dockerd mounts and creates namespaces).', 'run as root, or use a running Docker daemon (DOCKER_HOST).');
  }
  return { dockerd, runc };
}

export function requireDebootstrap(env = process.env): string {
  const found = ['/usr/sbin/debootstrap', ...onPath('debootstrap', env)].find(isExecutable);
  if (!found) {
    throw new PrerequisiteError(
      'debootstrap',
      'no debootstrap: the pod image is built from a Debian root filesystem the project bootstraps (no registry FROM).',
      'apt-get install debootstrap (it downloads bookworm from the Debian mirror once; the result is cached in .cache/kind-image/).',
    );
  }
  return found;
}

function onPath(bin: string, env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '').split(':').filter(Boolean).map((dir) => path.join(dir, bin));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return existsSync(file);
  } catch {
    return false;
  }
}
