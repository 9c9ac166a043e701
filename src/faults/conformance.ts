/**
 * Conformance of the mock with the real Theia: for every fault of the matrix, the real Theia's verdict on each
 * (check, hop) pair is compared with the mock's. The mock's row is the matrix's (tests/self/fault-matrix.spec.ts
 * holds the mock to it, twice per run); a difference is either written in the fault's `realTheia.differs`, with its
 * reason, or unexplained — which fails the conformance test.
 */
import { deepMerge } from '../topology/defaults';
import type { TopologySettings } from '../topology/types';
import type { Fault } from './traffic';

export type RowStatus = 'same' | 'documented' | 'UNEXPLAINED';

export interface ConformanceRow {
  fault: string;
  /** `check@hop`. */
  pair: string;
  /** `ok` or the cause. */
  mock: string;
  theia: string;
  status: RowStatus;
}

/** The topology overrides that stand the fault up with the real Theia: the fault's, then its real-Theia ones. */
export function realTheiaOverrides(fault: Fault): Fault['settings'] {
  return deepMerge(fault.settings as TopologySettings, fault.realTheia?.settings) as Fault['settings'];
}

/** One row per pair the real Theia's target has; `theia` is its verdict table (`check@hop` → ok | cause). */
export function compareWithMock(fault: Fault, theia: Record<string, string>): ConformanceRow[] {
  return Object.entries(theia).map(([pair, got]) => {
    const mock = fault.red[pair] ?? 'ok';
    const documented = fault.realTheia?.differs?.[pair];
    const status: RowStatus = got === documented ? 'documented' : got === mock ? 'same' : 'UNEXPLAINED';
    return { fault: fault.id, pair, mock, theia: got, status };
  });
}

/** A difference the matrix documents but the run did not show is stale: it must go, or the reason is wrong. */
export function staleDifferences(fault: Fault, theia: Record<string, string>): string[] {
  return Object.entries(fault.realTheia?.differs ?? {})
    .filter(([pair, expected]) => theia[pair] !== expected)
    .map(([pair, expected]) => `${fault.id}: matrix says real Theia gives ${expected} on ${pair}, the run gave ${theia[pair] ?? '(no such pair)'}`);
}

export function formatConformanceTable(rows: ConformanceRow[]): string {
  const header: [string, string, string, string, string, string] = ['fault', 'check', 'hop', 'mock', 'theia', ''];
  const lines = rows.map((r): [string, string, string, string, string, string] => {
    const [check = '', hop = ''] = r.pair.split('@');
    return [r.fault, check, hop, r.mock, r.theia, r.status === 'same' ? '' : r.status];
  });
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i]?.length ?? 0)));
  return all.map((l) => l.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function summarize(rows: ConformanceRow[]): string {
  const count = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  const faults = new Set(rows.map((r) => r.fault)).size;
  return `${faults} faults, ${rows.length} rows: ${count('same')} same, ${count('documented')} documented differences, ${count('UNEXPLAINED')} unexplained`;
}
