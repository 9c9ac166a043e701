/**
 * What the watch specs share: a namespace staged as the fix story's broken set with the timeout already right (so
 * the affinity fix alone makes every smoke check green), the embedded topology following its LIVE objects (the
 * playground's follower, src/playground/follow.ts) whose URL apply-fix watches through the `playground` target,
 * and "someone else's later change" to the BackendConfig: a server-side apply by another field manager, forced, as
 * a deploy tool with --force-conflicts does. The follower is stopped (by PID, via its own stop) after each test.
 */
import { serverSideApply } from '../../src/k8s/client';
import { type Follower, followLiveObjects } from '../../src/playground/follow';
import { PLAYGROUND_URL_VARIABLE } from '../../src/playground/target-url';
import { cdnOffStaging } from '../../src/playground/story';
import type { CliRun } from './fix-cli';
import { fixTest } from './fix-harness';

export const WATCHED_FIX = 'backendconfig-session-affinity';
const timeoutRight = { kind: 'BackendConfig', name: 'theia-backendconfig', merge: { spec: { timeoutSec: 3600 } } };

export interface WatchScene {
  namespace: string;
  follower: Follower;
  /** Lines the follower printed (what the traffic follows and when), for the report. */
  followed: string[];
  /** apply-fix <WATCHED_FIX> --watch … against the scene, watching the follower. */
  start(watchArgs: string[]): CliRun;
  /** Forces `spec` onto the BackendConfig as field manager `someone-else`, then waits until the traffic follows it. */
  change(spec: Record<string, unknown>): Promise<void>;
}

export const watchTest = fixTest.extend<{ scene: WatchScene }>({
  scene: async ({ fx }, use, testInfo) => {
    const { namespace } = await fx.stage({ set: 'broken', patches: [cdnOffStaging, timeoutRight] });
    const followed: string[] = [];
    const follower = await followLiveObjects(fx.admin, namespace, (l) => followed.push(`${new Date().toISOString().slice(11, 23)} ${l}`), () => {});
    const scene: WatchScene = {
      namespace,
      follower,
      followed,
      start: (watchArgs) => fx.startApplyFix(WATCHED_FIX, namespace, watchArgs, { [PLAYGROUND_URL_VARIABLE]: follower.url }),
      change: async (spec) => {
        const served = follower.served();
        const bc = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'theia-backendconfig', namespace }, spec };
        await serverSideApply(fx.admin, bc, { fieldManager: 'someone-else', force: true });
        await until(() => follower.served() !== served, 10_000, `the traffic to follow ${JSON.stringify(spec)}`);
      },
    };
    try {
      await use(scene);
    } finally {
      await follower.stop();
      await testInfo.attach('traffic followed', { body: followed.join('\n'), contentType: 'text/plain' });
    }
  },
});

async function until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The status lines of counted rounds (`round N  smoke …`), in order. */
export function roundLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^\s+round \d+ {2}smoke /.test(l));
}
