/**
 * The production smoke run: the @smoke subset (read-only, a bounded number of requests, no fault injection)
 * against one target.
 *   npm run smoke -- <target>        a file in targets/ (e.g. production, local-https) or a path to a .yaml
 *   npm run smoke -- --url https://host [--path /socket.io/] [--app-path /] [--health /health]
 *        [--ping-interval ms] [--ping-timeout ms] [--max-payload bytes] [--namespace /] [--cookie name]
 *        [--session-seconds 45] [--theia | --not-theia]
 *                                    any Socket.IO 4 app, no file needed: what the flags leave out is learned
 *                                    from the app (protocol values from the first handshake, Theia or not from
 *                                    what it serves) and written into the report
 * Exit code: Playwright's (0 green, 1 a check failed), 2 for bad input.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { stringify } from 'yaml';
import { freshRunEnv } from '../src/runner-env';
import { type AdhocFlags, adhocTargetData } from '../src/targets/adhoc';
import { playgroundVars } from '../src/playground/target-url';
import { projectRoot } from '../src/paths';
import { loadTarget, TargetError } from '../src/targets/load';

const valueFlags = [
  '--url',
  '--path',
  '--app-path',
  '--health',
  '--ping-interval',
  '--ping-timeout',
  '--max-payload',
  '--namespace',
  '--cookie',
  '--session-seconds',
];
const switches = ['--theia', '--not-theia'];

/** `--flag value` pairs and switches; anything else starting with `--` is bad input (one line, exit 2). */
function parseArgs(argv: string[]): { named?: string; flags: Map<string, string | true> } {
  const flags = new Map<string, string | true>();
  let named: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (switches.includes(arg)) flags.set(arg, true);
    else if (valueFlags.includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new TargetError(`${arg} needs a value`);
      flags.set(arg, value);
    } else if (arg.startsWith('--')) throw new TargetError(`unknown option ${arg} (known: ${[...valueFlags, ...switches].join(' ')})`);
    else if (named) throw new TargetError(`one target at a time ("${named}" and "${arg}")`);
    else named = arg;
  }
  return { named, flags };
}

function num(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name);
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TargetError(`${name} must be a number, got "${v}"`);
  return n;
}

function adhocTarget(flags: Map<string, string | true>): string {
  const str = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  if (flags.has('--theia') && flags.has('--not-theia')) throw new TargetError('--theia and --not-theia exclude each other');
  const adhoc: AdhocFlags = {
    url: str('--url') as string,
    path: str('--path'),
    appPath: str('--app-path'),
    health: str('--health'),
    pingInterval: num(flags, '--ping-interval'),
    pingTimeout: num(flags, '--ping-timeout'),
    maxPayload: num(flags, '--max-payload'),
    namespace: str('--namespace'),
    cookie: str('--cookie'),
    sessionSeconds: num(flags, '--session-seconds'),
    theia: flags.has('--theia') ? true : flags.has('--not-theia') ? false : undefined,
  };
  // A directory of its own per run: two smoke runs at once (CI, self-tests) must not test each other's URL.
  mkdirSync(path.join(projectRoot, '.cache/targets'), { recursive: true });
  const file = path.join(mkdtempSync(path.join(projectRoot, '.cache/targets/adhoc-')), 'adhoc.yaml');
  writeFileSync(file, stringify(adhocTargetData(adhoc)));
  loadTarget(file); // validate it the way every target is validated
  return file;
}

try {
  const { named, flags } = parseArgs(process.argv.slice(2));
  const url = flags.get('--url');
  if (url && named) throw new TargetError(`a target file ("${named}") or --url, not both`);
  if (!url && !named) throw new TargetError('usage: npm run smoke -- <target> | --url https://host [--path /socket.io/]');
  if (!url && flags.size > 0) throw new TargetError(`${[...flags.keys()].join(' ')} only apply with --url`);
  const targetRef = url ? adhocTarget(flags) : (named as string);
  const target = loadTarget(targetRef);
  // The playground's URL (and whether one runs at all) is settled here, once: one line when there is none.
  const extra = await playgroundVars(target);
  console.log(`socketproof smoke: ${target.name} (${target.hops.map((h) => h.name).join(', ')}), @smoke checks only`);
  const run = await $({
    nothrow: true,
    stdio: 'inherit',
    env: freshRunEnv({ ...extra, SOCKETPROOF_TARGET: targetRef }),
  })`npx playwright test --project=${target.name} --grep @smoke`;
  if (url) rmSync(path.dirname(targetRef), { recursive: true, force: true });
  process.exit(run.exitCode ?? 1);
} catch (error) {
  if (error instanceof TargetError) {
    console.error(`socketproof smoke: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
