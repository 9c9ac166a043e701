/**
 * Where the watch sends its traffic: the app the cluster's objects serve. A remote target names it (production:
 * its URL from the environment); the `local` target's cluster (the local control plane) is served by the
 * playground, whose embedded topology follows the live objects (src/playground/follow.ts). An embedded target
 * starts a topology of its own, which no write to the cluster would ever change: watching it would prove nothing,
 * so it is refused. Everything that can refuse runs before the apply (bad input changes nothing).
 */
import { loadTarget, resolveEnvUrls, TargetError } from '../../targets/load';
import type { Target } from '../../targets/target';
import { playgroundVars } from '../../playground/target-url';
import { openLoadTarget } from '../../load/open-target';
import type { CheckContext } from '../../checks/context';
import { Refused } from '../engine/outcome';

/** `local` is served by the playground; any other target is its own traffic. */
export function defaultWatchTarget(applyTarget: string): string {
  return applyTarget === 'local' ? 'playground' : applyTarget;
}

export interface PreparedTraffic {
  target: Target;
  /** The environment the hop URLs need (the playground's URL), settled before the apply. */
  env: Record<string, string>;
}

export async function prepareWatchTraffic(name: string): Promise<PreparedTraffic> {
  try {
    const target = loadTarget(name);
    if (target.kind === 'embedded') {
      throw new Refused(
        `--watch-target ${target.name} starts its own topology, which no change to the cluster reaches: watch the traffic the objects serve (--watch-target playground, or a remote target)`,
      );
    }
    const env = await playgroundVars(target);
    resolveEnvUrls(target, { ...process.env, ...env }); // a missing URL variable: one line now, not after the apply
    return { target, env };
  } catch (e) {
    if (e instanceof TargetError) throw new Refused(`--watch-target: ${e.message}`);
    throw e;
  }
}

/** The check context of the hop users reach (the balanced one), as `npm run load` opens a remote target. */
export async function openWatchTraffic(prepared: PreparedTraffic): Promise<CheckContext> {
  // The running playground's URL is asked again now: that waits until it serves what the objects say after the apply.
  const env = Object.keys(prepared.env).length > 0 ? await playgroundVars(prepared.target) : {};
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  const opened = await openLoadTarget(prepared.target, {});
  return opened.ctx;
}
