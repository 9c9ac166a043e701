/**
 * A team's own load-balancer nginx config (SOCKETPROOF_LB_NGINX_CONF), shaped like edge configs from the field: its
 * upstream servers become the embedded pods, and each fault it carries must be named at the `lb` hop with the pods'
 * own nginx green. Every check runs on every hop; the whole table must match.
 */
import path from 'node:path';
import { $ } from 'zx';
import { attachTopology, attachVerdict, expect, labelTest, test } from '../../fixtures';
import { allChecksTimeoutMs } from '../../src/checks/budget';
import { applicablePairs, checksOnHop, trafficChecks } from '../../src/checks/registry';
import { formatVerdictTable, runAllChecks, verdictTable } from '../../src/checks/run-all';
import { freshRunEnv } from '../../src/runner-env';
import { loadTarget, parseTarget, withHopUrls } from '../../src/targets/load';
import { targetAtHop } from '../../src/targets/hop-paths';
import type { Target } from '../../src/targets/target';
import { embeddedSettings } from '../../src/runtime/embedded-settings';
import { startTopology } from '../../src/topology/topology';

const lbConfigs = path.join(import.meta.dirname, 'lb-configs');
const podConfigs = path.join(import.meta.dirname, 'user-configs');
const atLb = (cause: string, checks: string[]) => Object.fromEntries(checks.map((c) => [`${c}@lb`, cause]));

/** The local target with Theia's own timers and a session longer than a 10 s proxy_read_timeout. */
function withTheiaTimers(t: Target): Target {
  return parseTarget({ ...t, expect: { ...t.expect, pingInterval: 30_000, pingTimeout: 60_000 }, sessionLengthMs: 12_000 }, 'theia timers');
}

interface Case {
  lb: string;
  pod?: string;
  title: string;
  target?: (t: Target) => Target;
  red: Record<string, string>;
  /** What the run's header must say. */
  notes: RegExp[];
  /** The session-continuity verdict at lb, when green: the clients spread over both pods (affinity exercised). */
  spread?: boolean;
}

const header = /the load balancer is your config .*, listening on 127\.0\.0\.1:\d+/;
const pods = /pods: 10\.8\.0\.11:8080 \(line \d+\) → pod-0, 10\.8\.0\.12:8080 \(line \d+\) → pod-1, from upstream theia/;

const cases: Case[] = [
  {
    lb: 'edge-ip-hash.conf',
    title: 'edge nginx with ip_hash, TLS and an http→https redirect: green, the clients spread over both pods',
    red: {},
    notes: [header, /ip_hash \(line 22\)/, /left out: the server block at line 27 .*; TLS \(line 34\)/, /Host \$host \(line 45\) sends \$http_host/],
    spread: true,
  },
  {
    lb: 'edge-cookie.conf',
    // The route keys are random ($request_id): which pod each client gets is chance (all 4 on one: 1 run in 8), so
    // only stickiness is asserted here; the spread is asserted where it is deterministic (ip_hash below).
    title: 'cookie affinity written in open-source nginx (hash on a route cookie): green, each client on one pod',
    red: {},
    notes: [header, pods],
  },
  {
    lb: 'host-port-dropped.conf',
    // $host is judged on the port the config listens on: sent as $http_host on 80/443 (edge-cookie.conf), kept here.
    title: 'Host $host on port 8443 drops the port: origin-rejected at lb for websocket-first clients',
    red: atLb('origin-rejected', ['websocket-upgrade', 'connection-lifetime']),
    notes: [header, pods],
  },
  {
    lb: 'round-robin.conf',
    title: 'no affinity (round robin): session-affinity at lb',
    red: atLb('session-affinity', ['handshake', 'session-continuity', 'websocket-upgrade', 'connection-lifetime', 'browser-terminal']),
    notes: [header, pods],
  },
  {
    lb: 'no-upgrade.conf',
    title: 'Upgrade/Connection not forwarded, HTTP/1.0: upgrade-blocked at lb, pod-nginx green',
    red: atLb('upgrade-blocked', ['websocket-upgrade', 'connection-lifetime', 'browser-terminal']),
    notes: [header, pods],
  },
  {
    lb: 'short-read-timeout.conf',
    title: 'proxy_read_timeout 10s under a 12 s session at pingInterval 30 s: connection-lifetime-cut at lb',
    target: withTheiaTimers,
    red: atLb('connection-lifetime-cut', ['connection-lifetime', 'browser-terminal']),
    notes: [header, pods],
  },
  {
    lb: 'cache-polling.conf',
    // Unlike a CDN, nginx's cache serves the cached polling answer to WebSocket requests too (no bypass on Upgrade).
    title: 'proxy_cache on the polling path, key without the query string: cdn-caching at lb, WebSockets included',
    red: atLb('cdn-caching', ['handshake', 'session-continuity', 'websocket-upgrade', 'connection-lifetime', 'browser-terminal']),
    notes: [header, pods],
  },
  {
    lb: 'edge-ip-hash.conf',
    pod: 'stripped-prefix.conf',
    title: 'both configs, the pod one stripping /theia/: green, the app at /',
    red: {},
    notes: [/the app listens at \/ .*prefix replaced/, header, /ip_hash/],
    spread: true,
  },
];

test.describe("the user's own load-balancer nginx config", () => {
  for (const c of cases) {
    test(`${c.pod ? `${c.pod} + ` : ''}${c.lb}: ${c.title}`, { tag: ['@selftest'] }, async ({ page }, testInfo) => {
      await labelTest('selftest', 'own nginx config', `lb ${c.lb}`, 'critical');
      const base = (c.target ?? ((t: Target) => t))(loadTarget('local'));
      const env: NodeJS.ProcessEnv = { SOCKETPROOF_LB_NGINX_CONF: path.join(lbConfigs, c.lb) };
      if (c.pod) env.SOCKETPROOF_POD_NGINX_CONF = path.join(podConfigs, c.pod);
      const topology = await startTopology(embeddedSettings(base, env));
      try {
        const target = withHopUrls(base, topology.hopUrls, topology.hopPaths);
        test.setTimeout(allChecksTimeoutMs(target, checksOnHop));
        const notes = topology.notes.join('\n');
        for (const note of c.notes) expect(notes).toMatch(note);
        const verdicts = await runAllChecks(target, { page });
        for (const v of verdicts) if (!v.ok) await attachVerdict(testInfo, v);
        const expected: Record<string, string> = {};
        for (const p of applicablePairs(target)) expected[`${p.check}@${p.hop}`] = c.red[`${p.check}@${p.hop}`] ?? 'ok';
        expect(verdictTable(verdicts), `${notes}\n${formatVerdictTable(verdicts)}`).toEqual(expected);
        const continuity = verdicts.find((v) => v.check === 'session-continuity' && v.hop === 'lb');
        if (continuity?.ok && c.spread) {
          // Green for the right reason: both pods served clients, and each client stayed on its pod.
          expect(continuity.observed).toMatch(/each client stayed on one replica \(clients per replica: pod-0 [1-3], pod-1 [1-3]\)/);
        } else if (continuity?.ok) {
          expect(continuity.observed).toMatch(/each client stayed on one replica/);
        }
      } finally {
        if (testInfo.status !== testInfo.expectedStatus) await attachTopology(testInfo, topology);
        await topology.stop();
      }
    });
  }
});

// In the table above the handshake check fills the cache before the WebSocket checks run. Run alone on an empty
// cache, they must say the same: each makes the app's polling open first, as every page does, so the cause does not
// depend on which check (or user) came before.
for (const check of ['websocket-upgrade', 'connection-lifetime']) {
  test(`cache-polling.conf, ${check} alone on an empty cache: cdn-caching at lb, as in the whole table`, { tag: ['@selftest'] }, async () => {
    await labelTest('selftest', 'own nginx config', 'lb cache-polling.conf, check order', 'normal');
    const base = loadTarget('local');
    const topology = await startTopology(embeddedSettings(base, { SOCKETPROOF_LB_NGINX_CONF: path.join(lbConfigs, 'cache-polling.conf') }));
    try {
      const target = withHopUrls(base, topology.hopUrls, topology.hopPaths);
      const hop = target.hops.find((h) => h.name === 'lb');
      const run = trafficChecks.find((c) => c.name === check)?.run;
      if (!hop || !run) throw new Error(`no lb hop or no check ${check}`);
      const verdict = await run({ target: targetAtHop(target, hop), hop });
      await attachVerdict(test.info(), verdict);
      expect(verdict.ok ? 'ok' : verdict.cause, verdict.observed).toBe('cdn-caching');
    } finally {
      await topology.stop();
    }
  });
}

const refused: { file: string; title: string; line: (file: string) => string }[] = [
  {
    file: 'unparsable.conf',
    title: "nginx refuses it: nginx's reason with the user's line",
    line: (f) => `socketproof: SOCKETPROOF_LB_NGINX_CONF ${f}: nginx -t refuses it: [emerg] unexpected "}" in ${f}:10`,
  },
  {
    file: 'service-address.conf',
    title: 'it proxies to one Service address, no upstream of pods: the line and what to write',
    line: (f) =>
      `socketproof: SOCKETPROOF_LB_NGINX_CONF ${f}:8: proxy_pass http://theia.theia.svc.cluster.local:8080 names no upstream of this file: list the pods in an \`upstream\` block (one \`server\` per pod) and proxy_pass to it; the suite puts the pods' loopback ports in place of its servers`,
  },
];

for (const r of refused) {
  test(`an LB config that cannot run stops the run, exit 2, one line: ${r.file}: ${r.title}`, { tag: ['@selftest'] }, async () => {
    const file = path.join(lbConfigs, r.file);
    const run = await $({ nothrow: true, quiet: true, env: freshRunEnv({ SOCKETPROOF_LB_NGINX_CONF: file }) })`npx playwright test --project=local`;
    expect(run.exitCode).toBe(2);
    expect((run.stdout + run.stderr).trim().split('\n')).toEqual([r.line(file)]);
  });
}
