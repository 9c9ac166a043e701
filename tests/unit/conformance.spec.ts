/**
 * The conformance comparison (src/faults/conformance.ts): a difference from the mock is `documented` only when the
 * fault's realTheia entry names it, otherwise UNEXPLAINED; a documented difference the run did not show is stale.
 * And the matrix itself: every realTheia entry says why.
 */
import { expect, test } from '../../fixtures/base';
import { compareWithMock, formatConformanceTable, staleDifferences, summarize } from '../../src/faults/conformance';
import { type Fault, loadFaults } from '../../src/faults/traffic';

const fault: Fault = {
  id: 'f',
  title: 't',
  standsUpIn: ['embedded', 'real-theia'],
  settings: {},
  red: { 'handshake@lb': 'session-affinity', 'handshake@pod': 'wrong-path' },
  realTheia: { differs: { 'handshake@pod': 'ok' }, reason: 'because' },
};

test('same, documented and unexplained rows', () => {
  const rows = compareWithMock(fault, { 'handshake@lb': 'session-affinity', 'handshake@pod': 'ok', 'health@lb': 'health-endpoint-down' });
  expect(rows.map((r) => [r.pair, r.mock, r.theia, r.status])).toEqual([
    ['handshake@lb', 'session-affinity', 'session-affinity', 'same'],
    ['handshake@pod', 'wrong-path', 'ok', 'documented'],
    ['health@lb', 'ok', 'health-endpoint-down', 'UNEXPLAINED'],
  ]);
  expect(summarize(rows)).toBe('1 faults, 3 rows: 1 same, 1 documented differences, 1 unexplained');
  expect(formatConformanceTable(rows).split('\n')[0]).toMatch(/^fault\s+check\s+hop\s+mock\s+theia$/);
});

test('a documented difference the run no longer shows is stale', () => {
  expect(staleDifferences(fault, { 'handshake@pod': 'ok' })).toEqual([]);
  expect(staleDifferences(fault, { 'handshake@pod': 'wrong-path' })).toEqual([
    'f: matrix says real Theia gives ok on handshake@pod, the run gave wrong-path',
  ]);
});

test('every realTheia entry of the fault matrix gives its reason', () => {
  for (const f of loadFaults()) {
    if (f.realTheia) expect(f.realTheia.reason?.length ?? 0, `${f.id}: realTheia without a reason`).toBeGreaterThan(20);
  }
});
