/**
 * The production rehearsal (issue 10): a local deployment in production's shape — HTTPS with a CA the suite made
 * (trusted through SOCKETPROOF_CA_FILE, as a company CA would be), an identity-aware-proxy-like Authorization check
 * at the load balancer, 2 pods of in-pod nginx + the REAL Theia 1.74.1, client-IP affinity, and GKE's 30 s default
 * backend timeout, which the healthy setup raises to an hour (BackendConfig timeoutSec: 3600) — against which
 * `targets/production.yaml` runs UNCHANGED through `npm run smoke -- production`, given only
 * SOCKETPROOF_PRODUCTION_URL, SOCKETPROOF_PRODUCTION_AUTHORIZATION (and the CA file).
 * Green when healthy; red with the right cause for no affinity, Upgrade stripped and the 30 s cap; a wrong or
 * missing Authorization is auth-rejected on every check, naming the variable; no token in anything the run wrote.
 * Each scenario holds production's 45 s session (longer than the 30 s cap): about a minute and a half each.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '../../fixtures/base';
import { loadTarget } from '../../src/targets/load';
import { requireBuiltTheia } from '../../src/theia/paths';
import { type DeepPartial, healthySettings } from '../../src/topology/defaults';
import { appSettings } from '../../src/runtime/embedded-settings';
import { startTopology } from '../../src/topology/topology';
import type { LoadBalancerSettings } from '../../src/topology/types';
import { companyPki, filesContaining, type SmokeRun, smokeChecks, smokeRemote, verdictOf } from './remote-https';

/** GKE's backend service timeout when no BackendConfig sets one: the lifetime of every WebSocket. */
const GKE_DEFAULT_CAP_MS = 30_000;
/** What the healthy BackendConfig sets (timeoutSec: 3600). */
const RAISED_CAP_MS = 3_600_000;

const token = `sp-planted-iap-${randomBytes(6).toString('hex')}`;

/** The healthy production shape; each scenario changes one thing. */
function productionLb(change: DeepPartial<LoadBalancerSettings> = {}): DeepPartial<LoadBalancerSettings> {
  return {
    tls: { ...companyPki().cert('ip'), serverName: '127.0.0.1' },
    requireAuthorization: `Bearer ${token}`,
    affinity: 'client-ip',
    lifetimeCapMs: RAISED_CAP_MS,
    ...change,
  };
}

/** Real Theia pods (served under /theia/, as production) behind that load balancer; `production` smoke-run at it. */
async function rehearse(lb: DeepPartial<LoadBalancerSettings>, authorization: string): Promise<SmokeRun> {
  requireBuiltTheia();
  const topology = await startTopology(healthySettings({ ...appSettings(loadTarget('local-theia')), lb }));
  try {
    const run = await smokeRemote(
      { SOCKETPROOF_PRODUCTION_URL: topology.lbUrl, SOCKETPROOF_PRODUCTION_AUTHORIZATION: authorization, SOCKETPROOF_CA_FILE: companyPki().bundle },
      'production',
    );
    test.info().annotations.push({ type: 'smoke run', description: `${run.ms} ms` });
    await test.info().attach('smoke run output', { body: run.out.replaceAll(token, '<token>'), contentType: 'text/plain' });
    return run;
  } finally {
    await topology.stop();
  }
}

/**
 * The results of the checks: the run also reports the production target's cluster checks as skipped (no kubeconfig
 * here, as in a nightly run without the PRODUCTION_KUBECONFIG secret).
 */
function checks(run: SmokeRun): SmokeRun['results'] {
  return run.results.filter((r) => r.status !== 'skipped');
}

/** check → cause of every red result (its message starts `<check> via lb: FAILED`); a result without one by name. */
function redCauses(run: SmokeRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of checks(run).filter((x) => x.status !== 'passed')) {
    const check = /(\S+) via \S+: FAILED/.exec(r.message)?.[1];
    out[check ?? r.name] = verdictOf(r).cause ?? r.status;
  }
  return out;
}

test.describe('production rehearsal: targets/production.yaml unchanged against real Theia in production\'s shape', () => {
  // Real Theia (two backends, a workbench in Chromium) and a 45 s session per run, on 2 shared cores.
  test.describe.configure({ timeout: 420_000 });

  test('healthy: green on every check, browser included; the token is written nowhere', { tag: '@selftest' }, async () => {
    const run = await rehearse(productionLb(), `Bearer ${token}`);
    expect(run.exitCode, run.out).toBe(0);
    expect(checks(run).map((r) => r.status)).toEqual(Array(smokeChecks).fill('passed'));
    expect(run.out).not.toContain(token);
    expect(await filesContaining(run, [token]), 'files that contain the planted token').toEqual([]);
  });

  test('no session affinity at the load balancer: red with session-affinity', { tag: '@selftest' }, async () => {
    const run = await rehearse(productionLb({ affinity: 'none' }), `Bearer ${token}`);
    expect(run.exitCode, run.out).toBe(1);
    expect(checks(run)).toHaveLength(smokeChecks);
    expect(redCauses(run), run.out).toEqual(EXPECTED.noAffinity);
  });

  test('Upgrade stripped at the load balancer: red with upgrade-blocked', { tag: '@selftest' }, async () => {
    const run = await rehearse(productionLb({ forwardUpgrade: false }), `Bearer ${token}`);
    expect(run.exitCode, run.out).toBe(1);
    expect(checks(run)).toHaveLength(smokeChecks);
    expect(redCauses(run), run.out).toEqual(EXPECTED.upgradeStripped);
  });

  test("GKE's 30 s default backend timeout left in place: red with connection-lifetime-cut", { tag: '@selftest' }, async () => {
    const run = await rehearse(productionLb({ lifetimeCapMs: GKE_DEFAULT_CAP_MS }), `Bearer ${token}`);
    expect(run.exitCode, run.out).toBe(1);
    expect(checks(run)).toHaveLength(smokeChecks);
    expect(redCauses(run), run.out).toEqual(EXPECTED.defaultCap);
  });

  for (const [what, authorization] of [
    ['a wrong', `Bearer sp-planted-stale-${randomBytes(6).toString('hex')}`],
    ['no', ''],
  ] as const) {
    test(`${what} Authorization: one clear 401 verdict on every check, naming the variable; no token written`, { tag: '@selftest' }, async () => {
      const run = await rehearse(productionLb(), authorization);
      expect(run.exitCode, run.out).toBe(1);
      expect(checks(run)).toHaveLength(smokeChecks);
      for (const r of checks(run)) {
        expect(verdictOf(r).cause, r.message).toBe('auth-rejected');
        expect(verdictOf(r).observed).toMatch(/→ 401: refused before the app .*check SOCKETPROOF_PRODUCTION_AUTHORIZATION/);
      }
      const planted = [token, ...(authorization ? [authorization.replace('Bearer ', '')] : [])];
      for (const secret of planted) expect(run.out).not.toContain(secret);
      expect(await filesContaining(run, planted), 'files that contain a planted token').toEqual([]);
    });
  }
});

/**
 * check → cause of the red checks per scenario (the same rows the fault matrix has at the lb hop, which the
 * conformance run showed for the real Theia); every other check — health always — must be green.
 */
const EXPECTED = {
  noAffinity: {
    handshake: 'session-affinity',
    'session-continuity': 'session-affinity',
    'websocket-upgrade': 'session-affinity',
    'connection-lifetime': 'session-affinity',
    'browser-terminal': 'session-affinity',
  },
  upgradeStripped: {
    'websocket-upgrade': 'upgrade-blocked',
    'connection-lifetime': 'upgrade-blocked',
    'browser-terminal': 'upgrade-blocked',
  },
  // The 45 s session outlives the 30 s cap: the lifetime check's session and the browser's open terminal are cut.
  defaultCap: {
    'connection-lifetime': 'connection-lifetime-cut',
    'browser-terminal': 'connection-lifetime-cut',
  },
} satisfies Record<string, Record<string, string>>;
