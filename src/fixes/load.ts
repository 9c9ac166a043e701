/**
 * Fixes are data: `fixes/<id>.yaml`, validated against fixes/fix.schema.json and against the registries they
 * name (cluster checks, traffic checks, causes). Adding a fix is adding a file. Every error is one line that
 * names the file (or, for an unknown id, lists the known ones).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { type CauseId, causeIds } from '../causes/catalogue';
import { allCheckNames, type CheckName } from '../checks/registry';
import type { ClusterExpectation } from '../cluster/expectation';
import { type ClusterCheckId, clusterCheckIds } from '../cluster/registry';
import { describeRef, type K8sObject, refOf } from '../k8s/objects';
import { PATHS, projectRoot } from '../paths';

export const fixesDir = PATHS.fixes;

export interface Fix {
  id: string;
  title: string;
  description: string;
  /** false: a trap that changes nothing on GKE; `ineffectiveReason` says why and `proves` is empty. */
  effectiveOnGke: boolean;
  ineffectiveReason?: string;
  /** Causes this fix is applied for (for a trap: the cause people wrongly apply it for). */
  addresses: CauseId[];
  /** Cluster checks that are green once the fix is applied. */
  proves: ClusterCheckId[];
  /** Traffic checks it turns green on the local target (through the manifests → topology mapping). */
  traffic: CheckName[];
  /** Partial manifests for server-side apply, written for namespace `theia`; see fixObjects(). */
  objects: K8sObject[];
  /** Path of the file, relative to the project. */
  file: string;
}

export class FixError extends Error {}

const schema = JSON.parse(readFileSync(path.join(fixesDir, 'fix.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);

function checkNames(file: string, field: string, values: string[], known: readonly string[]): void {
  const bad = values.find((v) => !known.includes(v));
  if (bad) throw new FixError(`${file}: ${field} names "${bad}", which is not one of ${known.join(', ')}`);
}

export function parseFix(data: unknown, file: string, expectedId?: string): Fix {
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const field = err?.instancePath ? err.instancePath.slice(1).replaceAll('/', '.') : '(root)';
    const extra = err?.params && 'additionalProperty' in err.params ? ` "${String(err.params.additionalProperty)}"` : '';
    throw new FixError(`${file}: invalid fix: ${field} ${err?.message ?? 'is invalid'}${extra}`);
  }
  const raw = data as Omit<Fix, 'file' | 'addresses'> & { addresses?: CauseId[] };
  if (expectedId && raw.id !== expectedId) throw new FixError(`${file}: id "${raw.id}" must equal the file name "${expectedId}"`);
  checkNames(file, 'proves', raw.proves, clusterCheckIds);
  checkNames(file, 'traffic', raw.traffic, allCheckNames);
  checkNames(file, 'addresses', raw.addresses ?? [], causeIds);
  return { ...raw, addresses: raw.addresses ?? [], file };
}

/** The fix ids in `dir` (the project's fixes/ by default; a team's own folder with --fixes-dir). */
export function listFixes(dir: string = fixesDir): string[] {
  if (!existsSync(dir)) throw new FixError(`--fixes-dir ${dir} does not exist`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** A fix file anywhere (a user's draft, a test's): its id must equal its file name. */
export function loadFixFile(file: string): Fix {
  const r = path.relative(projectRoot, file);
  const name = r && !r.startsWith('..') ? r : path.resolve(file);
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = String((error as Error).message).split('\n')[0]?.replace(/:$/, '');
    throw new FixError(`${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid YAML: ${reason}`}`);
  }
  return parseFix(data, name, path.basename(file).replace(/\.ya?ml$/, ''));
}

/** A fix by id from `dir` (the project's fixes/ by default), or one line listing the known ones. */
export function loadFix(id: string, dir: string = fixesDir): Fix {
  const known = listFixes(dir);
  const where = dir === fixesDir ? '' : ` in ${dir}`;
  if (!known.includes(id)) throw new FixError(`unknown fix "${id}": known fixes${where} are ${known.join(', ') || '(none)'}`);
  return loadFixFile(path.join(dir, `${id}.yaml`));
}

export function loadFixes(): Fix[] {
  return listFixes().map((id) => loadFix(id));
}

const roleOfKind: Record<string, keyof ClusterExpectation['names']> = {
  Deployment: 'deployment',
  Service: 'service',
  BackendConfig: 'backendConfig',
  Ingress: 'ingress',
};

/**
 * The fix's objects for a target: moved to its namespace, and refused (FixError) when an object's name is not
 * the name the target declares for that kind, so a fix never creates a stray second BackendConfig.
 */
export function fixObjects(fix: Fix, expect: Pick<ClusterExpectation, 'namespace' | 'names'>): K8sObject[] {
  return fix.objects.map((o) => {
    const role = roleOfKind[o.kind];
    if (role && expect.names[role] !== o.metadata.name) {
      throw new FixError(
        `${fix.file}: ${describeRef(refOf(o))} does not match the target's ${o.kind} "${expect.names[role]}"`,
      );
    }
    const copy = structuredClone(o);
    copy.metadata.namespace = expect.namespace;
    return copy;
  });
}
