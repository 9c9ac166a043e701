/**
 * The `playground` target (targets/playground.yaml) names its load balancer `${SOCKETPROOF_PLAYGROUND_URL}`: the
 * running playground's URL, read from its state file when the variable is not set. Before handing the URL out this
 * waits until the playground serves what the live objects say now: `apply-fix` returns the moment the API server
 * stored the change, and the traffic follows a second later; a smoke run typed right after must see the new state,
 * never the old one. No playground, a dead one, or one that does not catch up: one line (TargetError).
 */
import { connect } from '../k8s/client';
import { readLiveSettings } from '../runtime/live-topology';
import { TargetError } from '../targets/load';
import type { Target } from '../targets/target';
import { isRunning, readState } from './state';

export const PLAYGROUND_URL_VARIABLE = 'SOCKETPROOF_PLAYGROUND_URL';
const CATCH_UP_MS = 15_000;

export function usesPlayground(target: Target): boolean {
  return target.hops.some((h) => h.url.includes(`\${${PLAYGROUND_URL_VARIABLE}}`));
}

export async function playgroundUrl(): Promise<string> {
  const state = readState();
  if (!state) throw new TargetError('no playground runs: start one with `npm run playground -- broken`');
  if (!isRunning(state.process)) {
    throw new TargetError(`the playground (pid ${state.process.pid}) is gone: run \`npm run playground -- stop\` to clean up, then start one again`);
  }
  let conn: Awaited<ReturnType<typeof connect>>;
  try {
    conn = await connect({ kubeconfig: state.kubeconfig });
  } catch (e) {
    throw new TargetError(`the playground's control plane does not answer: ${(e as Error).message}`);
  }
  const deadline = Date.now() + CATCH_UP_MS;
  for (;;) {
    const live = JSON.stringify((await readLiveSettings(conn, state.namespace)).overrides);
    const now = readState();
    if (!now) throw new TargetError('the playground stopped');
    if (now.served === live) return now.url;
    if (Date.now() > deadline) throw new TargetError(`the playground has not caught up with the live objects after ${CATCH_UP_MS / 1000} s (serves ${now.served}, objects say ${live})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the environment lacks for this target: the playground's URL when the target needs it and it is not set. */
export async function playgroundVars(target: Target, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  if (!usesPlayground(target) || env[PLAYGROUND_URL_VARIABLE]) return {};
  return { [PLAYGROUND_URL_VARIABLE]: await playgroundUrl() };
}
