/**
 * Loads and validates target files. An invalid file fails fast with the field and the reason, in one line.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PATHS, projectRelative } from '../paths';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { Target } from './target';

/** How a browser reaches a terminal in Theia (1.74): the workbench shell, its preload overlay, Ctrl+Shift+`. */
export const theiaBrowser: Target['browser'] = {
  command: 'echo',
  ready: '#theia-app-shell',
  preload: '.theia-preload',
  openTerminal: 'Control+Shift+Backquote',
  selectors: { terminal: '[id^="terminal-"]', input: '[id^="terminal-"] .xterm-helper-textarea' },
};

/** Where target files live (kept as a name of this module: its callers list and load targets from it). */
export const targetsDir = PATHS.targets;

const schema = JSON.parse(readFileSync(path.join(targetsDir, 'target.schema.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false });
ajv.addFormat('ipv4', /^(\d{1,3}\.){3}\d{1,3}$/);
const validate = ajv.compile(schema);

export class TargetError extends Error {}

/** A hop URL must be absolute http(s): anything else is a target error, never a guess. */
export function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

const defaults = {
  app: 'theia' as const,
  originHeader: 'origin',
  continuity: { clients: 4, requestsPerClient: 20 },
  sourceAddresses: [] as string[],
  browser: theiaBrowser,
  readOnly: true,
};

/** Validates parsed data; `source` names the file in the error. */
export function parseTarget(data: unknown, source: string): Target {
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const field = err?.instancePath ? err.instancePath.slice(1).replaceAll('/', '.') : '(root)';
    const extra = err?.params && 'additionalProperty' in err.params ? ` "${String(err.params.additionalProperty)}"` : '';
    throw new TargetError(`${source}: invalid target: ${field} ${err?.message ?? 'is invalid'}${extra}`);
  }
  const raw = data as Partial<Target> & Pick<Target, 'name' | 'hops'>;
  const target = {
    ...defaults,
    ...raw,
    continuity: { ...defaults.continuity, ...raw.continuity },
    browser: { ...defaults.browser, ...raw.browser, selectors: { ...defaults.browser.selectors, ...raw.browser?.selectors } },
    hops: raw.hops.map((h) => ({ ...h, health: h.health ?? true, browser: h.browser ?? false, balanced: h.balanced ?? false })),
  } as Target;
  if (target.kind === 'remote') {
    for (const hop of target.hops) {
      if (hop.url.includes('${')) continue; // resolved at run time: see resolveEnvUrls
      if (!isHttpUrl(hop.url)) {
        throw new TargetError(`${source}: invalid target: hops.${hop.name}.url "${hop.url}" is not an http(s) URL`);
      }
    }
  }
  return target;
}

export function loadTargetFile(file: string): Target {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TargetError(`${file}: cannot read the target file`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    throw new TargetError(`${file}: not valid YAML: ${first}`);
  }
  return parseTarget(data, projectRelative(file));
}

/** A target by name (a file in targets/) or by path to a YAML file (an ad-hoc or private target). */
export function loadTarget(nameOrFile: string): Target {
  if (nameOrFile.endsWith('.yaml') || nameOrFile.endsWith('.yml')) return loadTargetFile(path.resolve(nameOrFile));
  return loadTargetFile(path.join(targetsDir, `${nameOrFile}.yaml`));
}

/** Resolves `${VAR}` in hop URLs from the environment; a missing variable is an error naming it. */
export function resolveEnvUrls(target: Target, env: NodeJS.ProcessEnv = process.env): Target {
  const hops = target.hops.map((hop) => {
    const url = hop.url.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => {
      const value = env[name];
      if (!value) throw new TargetError(`target ${target.name}: hops.${hop.name}.url needs ${name} in the environment`);
      return value;
    });
    if (url !== hop.url && !isHttpUrl(url)) {
      throw new TargetError(`target ${target.name}: hops.${hop.name}.url "${url}" is not an http(s) URL`);
    }
    return { ...hop, url };
  });
  return { ...target, hops };
}

/**
 * The auth headers a target declares, read from the environment. A header whose variable is unset or empty is not
 * sent: such a header is optional (an identity-aware proxy some deployments have), and CI maps an unset secret to
 * "". The runner says so once (unsentAuthHeaders); a load balancer that then refuses names the variable.
 */
export function authHeaders(target: Target, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [header, variable] of Object.entries(target.auth?.headers ?? {})) {
    const value = env[variable];
    if (value) headers[header.toLowerCase()] = value;
  }
  return headers;
}

/** The declared auth headers that will not be sent, because their variable is unset or empty. */
export function unsentAuthHeaders(target: Target, env: NodeJS.ProcessEnv = process.env): { header: string; variable: string }[] {
  return Object.entries(target.auth?.headers ?? {})
    .filter(([, variable]) => !env[variable])
    .map(([header, variable]) => ({ header, variable }));
}

export function listTargets(): string[] {
  return readdirSync(targetsDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));
}

/**
 * With embedded hop URLs filled in from the running topology, and the paths a hop serves where the topology's
 * proxies rewrite them (the app behind a prefix-stripping pod nginx).
 */
export function withHopUrls(
  target: Target,
  urls: Record<string, string>,
  paths: Record<string, { appPath: string; socketPath: string } | undefined> = {},
): Target {
  return {
    ...target,
    hops: target.hops.map((h) => {
      const url = urls[h.name];
      if (h.url === 'embedded' && !url) throw new TargetError(`target ${target.name}: the topology has no hop "${h.name}"`);
      return h.url === 'embedded' && url ? { ...h, url, ...paths[h.name] } : h;
    }),
  };
}
