/**
 * One pod's real Theia backend (theia-app/, built by `npm run theia:build`), started like production starts it:
 * `node lib/backend/main.js <workspace> --hostname 127.0.0.1 --port 0`. Each pod gets its own workspace, its own
 * THEIA_CONFIG_DIR (Theia writes user settings there, else to ~/.theia) and HOME (the terminal's shell reads no
 * rc file of the machine's user), and therefore its own connection token, as two production pods have.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBuiltTheia, theiaAppPaths } from '../theia/paths';
import { spawnManaged } from '../os/managed-process';
import type { TopologySettings } from './types';

/** Theia's backend needs ~3 s alone and ~5–10 s with a sibling on 2 busy cores; it must not fail a run for that. */
const THEIA_START_DEADLINE_MS = 90_000;

export interface RealTheiaPod {
  podName: string;
  /** The topology's private directory: this pod's files go to `<prefix>/theia-<pod>/`. */
  prefix: string;
  settings: TopologySettings;
}

export async function startRealTheia({ podName, prefix, settings }: RealTheiaPod) {
  const paths = theiaAppPaths();
  const main = requireBuiltTheia(paths);
  const dir = join(prefix, `theia-${podName}`);
  const workspace = join(dir, 'workspace');
  const config = join(dir, 'config');
  await Promise.all([mkdir(workspace, { recursive: true }), mkdir(config, { recursive: true })]);
  // A README in the workspace makes the explorer non-empty, as a real user's workspace is.
  await writeFile(join(workspace, 'README.md'), `# ${podName}\nWorkspace of a socketproof test pod.\n`);
  // User settings override the build's frontend defaults (theia-app/package.json turns workspace trust off).
  if (settings.theia.workspaceTrust !== undefined) {
    const prefs = { 'security.workspace.trust.enabled': settings.theia.workspaceTrust };
    await writeFile(join(config, 'settings.json'), `${JSON.stringify(prefs, null, 2)}\n`);
  }
  const allowed = settings.theia.allowedHosts;
  const proc = await spawnManaged({
    name: `theia-${podName}`,
    command: process.execPath,
    args: [main, workspace, '--hostname', '127.0.0.1', '--port', '0'],
    cwd: paths.dir,
    env: {
      PATH: process.env.PATH,
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: dir,
      SHELL: '/bin/bash',
      THEIA_CONFIG_DIR: config,
      // Theia's origin validator: when set, a browser's Origin host must be one of these.
      ...(allowed ? { THEIA_HOSTS: allowed.join(',') } : {}),
    },
    ready: { line: /Theia app listening on https?:\/\/127\.0\.0\.1:(\d+)/ },
    deadlineMs: THEIA_START_DEADLINE_MS,
  });
  return { proc, port: Number(proc.readyMatch?.[1]) };
}
