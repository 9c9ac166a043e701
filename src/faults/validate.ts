/**
 * Reads one catalogue file of faults/: YAML parsed, validated against its JSON schema (the same file editors use
 * through the `$schema` line), and a one-line error naming the file and the first problem otherwise.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { PATHS, projectRelative } from '../paths';

const ajv = new Ajv({ allErrors: false, strict: false });

export class CatalogueError extends Error {}

/** `faults/<name>.yaml` validated against `faults/<name>.schema.json`. */
export function readCatalogue<T>(name: string, dir: string = PATHS.faults): T {
  const file = path.join(dir, `${name}.yaml`);
  const schema = JSON.parse(readFileSync(path.join(PATHS.faults, `${name}.schema.json`), 'utf8')) as object;
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CatalogueError(`${projectRelative(file)}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const validate = ajv.getSchema((schema as { $id: string }).$id) ?? ajv.compile(schema);
  if (!validate(data)) {
    const e = validate.errors?.[0];
    throw new CatalogueError(`${projectRelative(file)}: ${e?.instancePath || '/'} ${e?.message ?? 'is invalid'}`);
  }
  return data as T;
}

/** Throws one line when `value` is not one of `known` (a cause or check name the code does not have). */
export function mustBeKnown(file: string, where: string, value: string, known: readonly string[]): void {
  if (!known.includes(value)) throw new CatalogueError(`faults/${file}: ${where}: unknown "${value}" (known: ${known.join(', ')})`);
}
