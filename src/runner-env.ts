/**
 * The environment for a Playwright run of its own (a smoke run started by a user's script, or by a self-test from
 * inside a worker): without what an enclosing run hands its workers — its choice of targets and projects, decided
 * once in playwright.config.ts and passed down through the environment, and its worker index.
 */
const inheritedByWorkers = [
  'SOCKETPROOF_TARGETS',
  'SOCKETPROOF_WITH_SELF_TESTS',
  'SOCKETPROOF_KIND_PROJECTS',
  'TEST_WORKER_INDEX',
  'TEST_PARALLEL_INDEX',
];

export function freshRunEnv(extra: NodeJS.ProcessEnv = {}, drop: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...inheritedByWorkers, ...drop]) delete env[name];
  return { ...env, ...extra };
}
