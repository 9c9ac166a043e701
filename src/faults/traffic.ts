/**
 * The traffic faults (faults/traffic.yaml): where each can be stood up, how, and the verdicts it must turn red.
 * Read by every traffic self-test (embedded, real Theia, containers, kind) and by SOCKETPROOF_FAULT=<id> /
 * `npm run serve -- --fault <id>`, which inject one fault into a local run (never into a remote target: production
 * is read-only).
 */
import { causeIds } from '../causes/catalogue';
import { allCheckNames } from '../checks/registry';
import type { DeepPartial } from '../topology/defaults';
import type { TopologySettings } from '../topology/types';
import { CatalogueError, mustBeKnown, readCatalogue } from './validate';

/** Where a fault can be stood up. */
export type FaultEnvironment = 'embedded' | 'real-theia' | 'containers' | 'kind';

export interface Fault {
  id: string;
  title: string;
  standsUpIn: FaultEnvironment[];
  settings: DeepPartial<TopologySettings>;
  /** `check@hop` → cause, for every pair the fault turns red. */
  red: Record<string, string>;
  /**
   * The same fault with the real Theia (tests/self/theia-conformance.spec.ts), where it must be stood up otherwise or
   * where the real Theia's verdict differs from the mock's, each with its reason. Absent: same settings, same rows.
   */
  realTheia?: {
    /** Overrides on top of `settings` (the real Theia's paths and timers cannot be set like the mock's). */
    settings?: DeepPartial<TopologySettings>;
    /** `check@hop` → `ok` or cause, where the real Theia's verdict is not the mock's. */
    differs?: Record<string, string>;
    /** Why the settings or verdicts differ: required with either. */
    reason?: string;
  };
}

let cached: Fault[] | undefined;

/** Every traffic fault, validated (schema, then check names and causes against the code's registries). */
export function loadFaults(dir?: string): Fault[] {
  if (cached && dir === undefined) return cached;
  const { faults } = readCatalogue<{ faults: Fault[] }>('traffic', dir);
  for (const f of faults) {
    // `differs` may say a pair stays `ok` with the real Theia; `red` always names a cause.
    const outcomes = [...Object.entries(f.red), ...Object.entries(f.realTheia?.differs ?? {}).filter(([, c]) => c !== 'ok')];
    for (const [pair, cause] of outcomes) {
      mustBeKnown('traffic.yaml', `${f.id}: ${pair}`, pair.split('@')[0] ?? '', allCheckNames);
      mustBeKnown('traffic.yaml', `${f.id}: ${pair}`, cause, causeIds);
    }
  }
  const ids = faults.map((f) => f.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new CatalogueError(`faults/traffic.yaml: fault "${dup}" is written twice`);
  if (dir === undefined) cached = faults;
  return faults;
}

/** The faults that can be stood up in `env`. */
export function faultsFor(env: FaultEnvironment): Fault[] {
  return loadFaults().filter((f) => f.standsUpIn.includes(env));
}

export function findFault(id: string): Fault {
  const faults = loadFaults();
  const fault = faults.find((f) => f.id === id);
  if (!fault) throw new Error(`unknown fault "${id}" (known: ${faults.map((f) => f.id).join(', ')})`);
  return fault;
}
