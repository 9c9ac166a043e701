/**
 * A team's own pod nginx config (SOCKETPROOF_POD_NGINX_CONF), shaped like the configs from the field: the embedded
 * app is served where the config sends the app's path (asked of nginx), so the config's real faults are named at
 * the right hop instead of hiding behind a wrong path. Every check runs on every hop; the table must match.
 */
import path from 'node:path';
import { $ } from 'zx';
import { freshRunEnv } from '../../src/runner-env';
import { attachTopology, attachVerdict, expect, labelTest, test } from '../../fixtures';
import { allChecksTimeoutMs } from '../../src/checks/budget';
import { applicablePairs, checksOnHop } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { loadTarget, parseTarget, withHopUrls } from '../../src/targets/load';
import type { Target } from '../../src/targets/target';
import { embeddedSettings } from '../../src/runtime/embedded-settings';
import { startTopology } from '../../src/topology/topology';

const configs = path.join(import.meta.dirname, 'user-configs');
const proxied = ['handshake', 'session-continuity', 'websocket-upgrade', 'connection-lifetime'];
const red = (cause: string, checks: string[], hops: string[]) =>
  Object.fromEntries(hops.flatMap((hop) => checks.map((c) => [`${c}@${hop}`, cause])));

/** The local target, with Theia's own timers and a session longer than a 10 s proxy_read_timeout. */
function withTheiaTimers(t: Target): Target {
  return parseTarget({ ...t, expect: { ...t.expect, pingInterval: 30_000, pingTimeout: 60_000 }, sessionLengthMs: 12_000 }, 'theia timers');
}
/** The local target, telling where the app listens (Theia's default `/`): the config must send /theia/ there. */
function appAtRoot(t: Target): Target {
  return parseTarget({ ...t, embedded: { appServedAt: '/' } }, 'app at /');
}

const cases: { file: string; title: string; target?: (t: Target) => Target; red: Record<string, string>; note: RegExp }[] = [
  { file: 'stripped-prefix.conf', title: 'prefix stripped, correct: green', red: {}, note: /listens at \/ .*prefix replaced/ },
  {
    file: 'stripped-no-connection.conf',
    title: 'prefix stripped, Upgrade without Connection, HTTP/1.0: upgrade-blocked at pod-nginx, green at pod',
    red: {
      ...red('upgrade-blocked', ['websocket-upgrade', 'connection-lifetime'], ['pod-nginx', 'lb']),
      'browser-terminal@lb': 'upgrade-blocked',
    },
    note: /listens at \//,
  },
  {
    file: 'prefix-kept-app-at-root.conf',
    title: 'prefix kept while the app listens at /: wrong-path from pod-nginx on, the app itself green',
    target: appAtRoot,
    red: { ...red('wrong-path', proxied, ['pod-nginx', 'lb']), 'browser-terminal@lb': 'wrong-path' },
    note: /where the target says/,
  },
  {
    file: 'host-rewritten.conf',
    // Theia 1.74.1 checks only the Origin, sent on WebSocket handshakes: websocket-first clients are refused, a
    // polling-first browser connects (as the fault matrix's host-rewritten).
    title: 'Host rewritten: origin-rejected for websocket-first clients',
    red: red('origin-rejected', ['websocket-upgrade', 'connection-lifetime'], ['pod-nginx', 'lb']),
    note: /listens at \//,
  },
  {
    file: 'short-read-timeout.conf',
    title: 'proxy_read_timeout 10s under a 12 s session at pingInterval 30 s: connection-lifetime-cut',
    target: withTheiaTimers,
    red: { ...red('connection-lifetime-cut', ['connection-lifetime'], ['pod-nginx', 'lb']), 'browser-terminal@lb': 'connection-lifetime-cut' },
    note: /listens at \//,
  },
];

test.describe('the user\'s own pod nginx config', () => {
  for (const c of cases) {
    test(`${c.file}: ${c.title}`, { tag: ['@selftest'] }, async ({ page }, testInfo) => {
      await labelTest('selftest', 'own nginx config', c.file, 'critical');
      const base = (c.target ?? ((t: Target) => t))(loadTarget('local'));
      const settings = embeddedSettings(base, { SOCKETPROOF_POD_NGINX_CONF: path.join(configs, c.file) });
      const topology = await startTopology(settings);
      try {
        const target = withHopUrls(base, topology.hopUrls, topology.hopPaths);
        test.setTimeout(allChecksTimeoutMs(target, checksOnHop));
        expect(topology.notes.join('\n')).toMatch(c.note);
        const verdicts = await runAllChecks(target, { page });
        for (const v of verdicts) if (!v.ok) await attachVerdict(testInfo, v);
        const expected: Record<string, string> = {};
        for (const p of applicablePairs(target)) expected[`${p.check}@${p.hop}`] = c.red[`${p.check}@${p.hop}`] ?? 'ok';
        expect(verdictTable(verdicts), `${topology.notes.join('\n')}\n${formatVerdictTable(verdicts)}`).toEqual(expected);
      } finally {
        if (testInfo.status !== testInfo.expectedStatus) await attachTopology(testInfo, topology);
        await topology.stop();
      }
    });
  }
});

test('a config nginx refuses stops the run: exit 2, one line with nginx\'s reason and the user\'s line', { tag: ['@selftest'] }, async () => {
  const file = path.join(configs, 'unparsable.conf');
  const run = await $({ nothrow: true, quiet: true, env: freshRunEnv({ SOCKETPROOF_POD_NGINX_CONF: file }) })`npx playwright test --project=local`;
  expect(run.exitCode).toBe(2);
  const lines = (run.stdout + run.stderr).trim().split('\n');
  expect(lines).toEqual([`socketproof: SOCKETPROOF_POD_NGINX_CONF ${file}: nginx -t refuses it: [emerg] unexpected "}" in ${file}:6`]);
});
