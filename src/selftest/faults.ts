/**
 * The faults the embedded topology can stand up, read from the written matrix (tests/self/fault-matrix.yaml).
 * Used by the self-tests and by SOCKETPROOF_FAULT=<id>, which injects one fault into a local run (never into a
 * remote target: production is read-only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../paths';
import type { DeepPartial } from '../topology/defaults';
import type { TopologySettings } from '../topology/types';

export interface Fault {
  id: string;
  title: string;
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

export const faultMatrixFile = path.join(projectRoot, 'tests/self/fault-matrix.yaml');

export function loadFaults(): Fault[] {
  return (parse(readFileSync(faultMatrixFile, 'utf8')) as { faults: Fault[] }).faults;
}

export function findFault(id: string): Fault {
  const faults = loadFaults();
  const fault = faults.find((f) => f.id === id);
  if (!fault) throw new Error(`unknown fault "${id}" (known: ${faults.map((f) => f.id).join(', ')})`);
  return fault;
}
