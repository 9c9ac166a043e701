/**
 * The production smoke run: the @smoke subset (read-only, a bounded number of requests, no fault injection)
 * against one target.
 *   npm run smoke -- <target>                      a file in targets/ (e.g. production, local-https)
 *   npm run smoke -- --url https://host [--path /theia/socket.io/] [--app-path /theia/] [--health /health]
 *                                                   an ad-hoc target, no file needed (Theia's protocol values)
 * Exit code: Playwright's (0 green, 1 a check failed), 2 for bad input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { stringify } from 'yaml';
import { freshRunEnv } from '../src/runner-env';
import { isHttpUrl, loadTarget, projectRoot, TargetError } from '../src/targets/load';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function adhocTarget(url: string): string {
  if (!isHttpUrl(url)) throw new TargetError(`--url "${url}" is not an http(s) URL`);
  const parsed = new URL(url);
  const socketPath = arg('--path') ?? '/theia/socket.io/';
  const withSlash = socketPath.endsWith('/') ? socketPath : `${socketPath}/`;
  const appPath = arg('--app-path') ?? withSlash.replace(/socket\.io\/$/, '');
  const target = {
    name: 'adhoc',
    kind: 'remote',
    description: `ad-hoc target ${parsed.origin}`,
    appPath,
    socketPath: withSlash,
    healthPath: arg('--health') ?? '/health',
    healthBody: { status: 'healthy' },
    connectionCookie: 'theia-connection-token',
    originHeader: 'fix-origin',
    expect: { eio: 4, pingInterval: 30000, pingTimeout: 60000, maxPayload: 100000000, namespace: '/services' },
    sessionLengthMs: Number(arg('--session-seconds') ?? 45) * 1000,
    readOnly: true,
    hops: [{ name: 'lb', url: parsed.origin, health: arg('--health') !== undefined, browser: true, balanced: true }],
  };
  const dir = path.join(projectRoot, '.cache/targets');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'adhoc.yaml');
  writeFileSync(file, stringify(target));
  loadTarget(file); // validate it the way every target is validated
  return file;
}

try {
  const url = arg('--url');
  const named = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (!url && !named) throw new TargetError('usage: npm run smoke -- <target> | --url https://host [--path /theia/socket.io/]');
  const targetRef = url ? adhocTarget(url) : (named as string);
  const target = loadTarget(targetRef);
  console.log(`socketproof smoke: ${target.name} (${target.hops.map((h) => h.name).join(', ')}), @smoke checks only`);
  const run = await $({
    nothrow: true,
    stdio: 'inherit',
    env: freshRunEnv({ SOCKETPROOF_TARGET: targetRef }),
  })`npx playwright test --project=${target.name} --grep @smoke`;
  process.exit(run.exitCode ?? 1);
} catch (error) {
  if (error instanceof TargetError) {
    console.error(`socketproof smoke: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
