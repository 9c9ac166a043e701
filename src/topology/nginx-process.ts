/** One nginx of the topology: its config written under the prefix, checked with `nginx -t`, started, ready. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NGINX_BINARY, nginxArgs } from './nginx-config';
import { lastLines, spawnManaged } from '../os/managed-process';
import type { RenderedConfig } from './types';

export async function startNginx(prefix: string, config: RenderedConfig) {
  const name = config.name.replace(/\.conf$/, '');
  const dir = join(prefix, name);
  const confPath = join(prefix, config.name);
  await mkdir(dir, { recursive: true });
  await writeFile(confPath, config.text);
  // `-t` first: a broken config fails here with nginx's own one-line reason, before anything listens.
  await promisify(execFile)(NGINX_BINARY, nginxArgs(dir, confPath, true)).catch((err: { stderr?: string }) => {
    throw new Error(`${name}: nginx -t rejected ${config.name}: ${lastLines(err.stderr ?? String(err), 3)}`);
  });
  // "start worker process" is logged (notice, to stderr) only once every listen socket is bound.
  const proc = await spawnManaged({
    name,
    command: NGINX_BINARY,
    args: nginxArgs(dir, confPath),
    ready: { line: /start worker process/ },
    deadlineMs: 10_000,
  });
  return { proc };
}
