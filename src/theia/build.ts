/**
 * Installs and builds the real Theia app (theia-app/) without the internet: only the npm registry is reachable, so
 * every install script is skipped (puppeteer would download Chrome, keytar/drivelist would fetch prebuilt binaries
 * from GitHub and node-gyp would fetch Node headers) and the two native modules that need it are compiled against
 * the installed Node's headers. Install and build are each skipped when the hash of what they depend on (package.json,
 * lockfile, Node version, this recipe) is unchanged, so CI with a warm cache pays seconds, not minutes.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';
import { type TheiaAppPaths, theiaAppPaths } from './paths';
import { checkTheiaPrerequisites, type Toolchain } from './prerequisites';

/** Bump when the steps below change what ends up in node_modules or lib/: forces a rebuild. */
const RECIPE = 'theia-build/1';
/** Native modules whose install script would download from GitHub: compiled here instead. */
const NATIVE_MODULES = ['keytar', 'drivelist'];
/** Shipped prebuilt in the npm package (nothing to compile); checked so a missing one fails here, not at run time. */
const PREBUILT = ['node-pty/prebuilds/linux-x64/pty.node'];

export interface TheiaBuildResult {
  installed: boolean;
  built: boolean;
  hash: string;
  ms: number;
  backendMain: string;
}

export class TheiaBuildError extends Error {}

export function appHash(paths: TheiaAppPaths): string {
  const h = createHash('sha256');
  for (const file of [paths.packageJson, paths.lockfile]) h.update(readFileSync(file));
  h.update(process.version).update(RECIPE);
  return h.digest('hex').slice(0, 16);
}

function stampMatches(file: string, hash: string): boolean {
  try {
    return readFileSync(file, 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

/** Runs one command, its output to a log file; a failure is one line with the log's last lines and its path. */
async function run(label: string, cmd: string, args: string[], opts: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv }) {
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile);
  let tail = '';
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | string>((resolve) => {
    child.on('error', (err) => resolve(err.message));
    child.on('close', (c, signal) => resolve(c ?? String(signal)));
  });
  await new Promise((r) => log.end(r));
  if (code !== 0) {
    const last = tail.split('\n').map((l) => l.trim()).filter((l) => l && !/EBADENGINE|npm warn/.test(l)).slice(-3).join(' | ');
    throw new TheiaBuildError(`theia:build: ${label} failed (${code}): ${last} (log: ${path.relative(projectRoot, opts.logFile)})`);
  }
}

export interface TheiaBuildOptions {
  force?: boolean;
  say?: (line: string) => void;
  /** Another app directory (tests); default theia-app/. */
  paths?: TheiaAppPaths;
}

export async function buildTheiaApp(opts: TheiaBuildOptions = {}): Promise<TheiaBuildResult> {
  const say = opts.say ?? ((line: string) => console.log(line));
  const t0 = Date.now();
  const paths = opts.paths ?? theiaAppPaths();
  const logs = path.join(projectRoot, '.cache/theia-build');
  const step = async (n: number, what: string, fn: () => Promise<void>) => {
    const s = Date.now();
    say(`[theia-build] ${n}/4 ${what} …`);
    await fn();
    say(`[theia-build] ${n}/4 ${what}: done in ${((Date.now() - s) / 1000).toFixed(1)} s`);
  };

  let tools: Toolchain | undefined;
  await step(1, 'prerequisites (Node headers, node-gyp, C++ toolchain, libsecret-1)', async () => {
    if (!existsSync(paths.lockfile)) throw new TheiaBuildError(`theia:build: ${paths.lockfile} is missing (it is committed with the app)`);
    tools = checkTheiaPrerequisites();
  });
  if (!tools) throw new TheiaBuildError('theia:build: prerequisites were not checked');
  const toolchain = tools;
  const hash = appHash(paths);

  const installed = opts.force || !stampMatches(paths.installStamp, hash);
  if (!installed) say(`[theia-build] 2/4 npm ci: up to date (lockfile hash ${hash})`);
  else {
    await step(2, 'npm ci --ignore-scripts (pinned @theia/* 1.74.1 from the lockfile)', async () => {
      rmSync(paths.nodeModules, { recursive: true, force: true });
      await run('npm ci', 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: paths.dir,
        logFile: path.join(logs, 'npm-ci.log'),
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: 'true' },
      });
    });
    await step(3, `native modules: node-gyp rebuild of ${NATIVE_MODULES.join(', ')} (--nodedir=${toolchain.nodeDir})`, async () => {
      await Promise.all(
        NATIVE_MODULES.map((m) =>
          run(`node-gyp rebuild in ${m}`, process.execPath, [toolchain.nodeGyp, 'rebuild', `--nodedir=${toolchain.nodeDir}`], {
            cwd: path.join(paths.nodeModules, m),
            logFile: path.join(logs, `node-gyp-${m}.log`),
          }),
        ),
      );
      // esbuild's install script only verifies that its platform binary package is there.
      await run('esbuild install check', process.execPath, ['install.js'], {
        cwd: path.join(paths.nodeModules, 'esbuild'),
        logFile: path.join(logs, 'esbuild-install.log'),
      });
      const absent = PREBUILT.filter((p) => !existsSync(path.join(paths.nodeModules, p)));
      if (absent.length) throw new TheiaBuildError(`theia:build: prebuilt binaries missing from npm packages: ${absent.join(', ')}`);
    });
    writeFileSync(paths.installStamp, `${hash}\n`);
  }
  if (!installed) say('[theia-build] 3/4 native modules: up to date');

  const built = installed || opts.force || !stampMatches(paths.buildStamp, hash) || !existsSync(paths.backendMain);
  if (!built) say(`[theia-build] 4/4 theia build: up to date (${path.relative(projectRoot, paths.backendMain)})`);
  else {
    await step(4, 'theia build --mode production (esbuild bundles of frontend and backend)', async () => {
      await run('theia build', process.execPath, [path.join(paths.nodeModules, '@theia/cli/bin/theia'), 'build', '--mode', 'production'], {
        cwd: paths.dir,
        logFile: path.join(logs, 'theia-build.log'),
      });
      if (!existsSync(paths.backendMain)) throw new TheiaBuildError(`theia:build: theia build wrote no ${paths.backendMain}`);
      writeFileSync(paths.buildStamp, `${hash}\n`);
    });
  }
  return { installed, built, hash, ms: Date.now() - t0, backendMain: paths.backendMain };
}
