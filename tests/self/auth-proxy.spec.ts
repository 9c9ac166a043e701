/**
 * An identity-aware proxy at the load balancer refuses a wrong credential with 401 before anything reaches the app:
 * every check, the browser included, is red with auth-rejected — not an Engine.IO cause, not target-unreachable —
 * and the message names the variable to check (the target's SOCKETPROOF_PRODUCTION_AUTHORIZATION, and
 * SOCKETPROOF_HEADER_*). Neither the token the proxy wants nor the one sent appears in what the run wrote.
 * (The healthy counterpart, the right token, is in company-ca.spec.ts.)
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '../../fixtures/base';
import { companyLb, filesContaining, smokeBehindCompanyLb, smokeChecks, verdictOf, withLoadBalancer } from './remote-https';

test('a 401 from the load balancer is auth-rejected on every check, naming the variable; no token is written', { tag: '@selftest' }, async () => {
  test.setTimeout(300_000); // a red run restarts a worker per failed test: slow on a loaded machine
  const wanted = `sp-planted-iap-${randomBytes(6).toString('hex')}`;
  const sent = `sp-planted-stale-${randomBytes(6).toString('hex')}`;
  await withLoadBalancer(companyLb(wanted), async (topology) => {
    const run = await smokeBehindCompanyLb(topology, `Bearer ${sent}`);
    expect(run.exitCode, run.out).toBe(1);
    expect(run.results).toHaveLength(smokeChecks);
    for (const r of run.results) {
      const v = verdictOf(r);
      expect(r.status, r.name).toBe('failed');
      expect(v.cause, r.message).toBe('auth-rejected');
      expect(v.observed).toMatch(
        /→ 401: refused before the app \(not an Engine\.IO answer; credential headers sent: authorization\); check SOCKETPROOF_PRODUCTION_AUTHORIZATION \(header Authorization\) \/ the header variables SOCKETPROOF_HEADER_<NAME>$/,
      );
    }
    // The app page is the first request of every check: that is where the refusal is recognised, browser included.
    expect(run.results.filter((r) => verdictOf(r).observed?.includes('GET /theia/ → 401')).length).toBeGreaterThanOrEqual(4);
    expect(run.out).not.toContain(wanted);
    expect(run.out).not.toContain(sent);
    expect(await filesContaining(run, [wanted, sent]), 'files that contain a planted token').toEqual([]);
  });
});

test('without the optional auth secret the header is not sent, and the 401 says which variable to set', { tag: '@selftest' }, async () => {
  test.setTimeout(300_000);
  const wanted = `sp-planted-iap-${randomBytes(6).toString('hex')}`;
  await withLoadBalancer(companyLb(wanted), async (topology) => {
    // As the nightly hands over an unset secret: the variable exists and is empty.
    const run = await smokeBehindCompanyLb(topology, '');
    expect(run.exitCode, run.out).toBe(1);
    expect(run.out).toContain('header Authorization not sent: SOCKETPROOF_PRODUCTION_AUTHORIZATION is unset or empty');
    expect(run.results).toHaveLength(smokeChecks);
    for (const r of run.results) {
      const v = verdictOf(r);
      expect(v.cause, r.message).toBe('auth-rejected');
      expect(v.observed).toMatch(/→ 401: refused before the app \(not an Engine\.IO answer; no credential header sent\); check SOCKETPROOF_PRODUCTION_AUTHORIZATION/);
    }
    expect(run.out).not.toContain(wanted);
  });
});
