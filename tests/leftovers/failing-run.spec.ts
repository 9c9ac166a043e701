import { writeFileSync } from 'node:fs';
import { expect, test } from '../../fixtures';

// Starts the local topology through the normal fixture, records its PIDs, then fails on purpose.
test('a failing test with the topology up', async ({ runtime }) => {
  const pids = runtime.topology?.pids() ?? [];
  writeFileSync(process.env.SOCKETPROOF_LEFTOVERS_PIDS ?? '/tmp/socketproof-leftover-pids', JSON.stringify(pids));
  expect(pids.length, 'this run fails on purpose').toBe(-1);
});
