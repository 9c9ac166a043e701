/**
 * The docker CLI, pointed at one engine. kind itself shells out to `docker` and honours DOCKER_HOST, so everything
 * here does the same: one `Docker` value = one CLI binary + one daemon address, passed on to kind as DOCKER_HOST.
 */
import { $, type ProcessOutput } from 'zx';

export interface Docker {
  /** CLI binary (`SOCKETPROOF_DOCKER`, else `docker` on PATH). */
  bin: string;
  /** `unix:///…/docker.sock`, or undefined for the CLI's own default (DOCKER_HOST, then /var/run/docker.sock). */
  host?: string;
}

export class DockerError extends Error {}

export function defaultDocker(env = process.env): Docker {
  return { bin: env.SOCKETPROOF_DOCKER ?? 'docker', host: env.DOCKER_HOST || undefined };
}

/** The environment a child (docker, kind) needs to reach this engine. The legacy builder: see buildImage. */
export function dockerEnv(d: Docker, env = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, DOCKER_BUILDKIT: '0' };
  if (d.host) out.DOCKER_HOST = d.host;
  else delete out.DOCKER_HOST;
  return out;
}

/** Where the CLI talks to, for messages. */
export function describeHost(d: Docker): string {
  return d.host ?? 'unix:///var/run/docker.sock (the CLI default)';
}

/** Runs `docker <args>`; throws a one-line DockerError with docker's own last lines on a non-zero exit. */
export async function docker(d: Docker, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const out = await dockerRaw(d, args, opts);
  if (out.exitCode !== 0) throw new DockerError(`docker ${args.slice(0, 2).join(' ')} failed: ${tail(out.stderr || out.stdout)}`);
  return out.stdout.trim();
}

export async function dockerRaw(d: Docker, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<ProcessOutput> {
  const sh = $({ env: dockerEnv(d), nothrow: true, quiet: true, input: opts.input, timeout: opts.timeoutMs ?? 120_000 });
  return sh`${d.bin} ${args}`;
}

export function tail(text: string, n = 3): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^DEPRECATED|BuildKit is currently disabled|environment-variable\.$/.test(l));
  return lines.slice(-n).join(' | ') || '(no output)';
}

export async function imageExists(d: Docker, ref: string): Promise<boolean> {
  return (await dockerRaw(d, ['image', 'inspect', '--format', '{{.Id}}', ref])).exitCode === 0;
}

/** The host port a container publishes `containerPort/tcp` on (first binding). */
export async function publishedPort(d: Docker, container: string, containerPort: number): Promise<number> {
  const out = await docker(d, ['port', container, `${containerPort}/tcp`]);
  const m = /:(\d+)\s*$/m.exec(out.split('\n')[0] ?? '');
  if (!m) throw new DockerError(`container ${container.slice(0, 12)} publishes no port for ${containerPort}/tcp: ${out}`);
  return Number(m[1]);
}

/** Removes containers (by id), then networks (by id); collects every error instead of stopping at the first. */
export async function removeAll(d: Docker, ids: { containers: string[]; networks: string[] }): Promise<string[]> {
  const errors: string[] = [];
  if (ids.containers.length > 0) {
    const out = await dockerRaw(d, ['rm', '--force', '--volumes', ...ids.containers]);
    if (out.exitCode !== 0 && !/No such container/.test(out.stderr)) errors.push(`docker rm: ${tail(out.stderr)}`);
  }
  for (const net of ids.networks) {
    const out = await dockerRaw(d, ['network', 'rm', net]);
    if (out.exitCode !== 0 && !/not found|No such network/i.test(out.stderr)) errors.push(`docker network rm: ${tail(out.stderr)}`);
  }
  return errors;
}
