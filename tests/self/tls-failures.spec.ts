/**
 * TLS failures other than an unknown issuer, each its own cause on every check, Node and Chromium alike: a
 * certificate (from a trusted CA) that does not name the host asked for, and plain HTTP sent to the load balancer's
 * HTTPS port (nginx answers 400 "The plain HTTP request was sent to HTTPS port" — never read as an Engine.IO 400).
 */
import { expect, test } from '../../fixtures/base';
import { companyPki, smokeChecks, smokeRemote, verdictOf, withLoadBalancer } from './remote-https';

test.describe('TLS failures', () => {
  // A red run restarts a worker after each failed test: minutes on a loaded machine.
  test.describe.configure({ timeout: 300_000 });

  test("name mismatch: tls-name-mismatch on every check, naming the certificate's names and the host asked for", { tag: '@selftest' }, async () => {
    const pki = companyPki();
    await withLoadBalancer({ tls: { ...pki.cert('elsewhere'), serverName: '127.0.0.1' } }, async (topology) => {
      const run = await smokeRemote({ SOCKETPROOF_PRODUCTION_URL: topology.lbUrl, SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer x', SOCKETPROOF_CA_FILE: pki.bundle });
      expect(run.exitCode, run.out).toBe(1);
      expect(run.results).toHaveLength(smokeChecks);
      for (const r of run.results) {
        expect(verdictOf(r).cause, r.message).toBe('tls-name-mismatch');
        expect(verdictOf(r).observed).toMatch(
          /TLS: the certificate does not name the host asked for: asked for 127\.0\.0\.1, the certificate names DNS:theia\.elsewhere\.test \[(Node: ERR_TLS_CERT_ALTNAME_INVALID|Chromium: net::ERR_CERT_COMMON_NAME_INVALID)\]$/,
        );
      }
      expect(run.results.find((r) => r.name.includes('terminal'))?.message).toContain('[Chromium: net::ERR_CERT_COMMON_NAME_INVALID]');
    });
  });

  test('plain HTTP to the HTTPS port: tls-wrong-protocol on every check, saying which scheme to use', { tag: '@selftest' }, async () => {
    const pki = companyPki();
    await withLoadBalancer({ tls: { ...pki.cert('ip'), serverName: '127.0.0.1' } }, async (topology) => {
      const httpUrl = topology.lbUrl.replace(/^https:/, 'http:');
      const run = await smokeRemote({ SOCKETPROOF_PRODUCTION_URL: httpUrl, SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer x', SOCKETPROOF_CA_FILE: pki.bundle });
      expect(run.exitCode, run.out).toBe(1);
      expect(run.results).toHaveLength(smokeChecks);
      const host = new URL(topology.lbUrl).host;
      for (const r of run.results) {
        expect(verdictOf(r).cause, r.message).toBe('tls-wrong-protocol');
        expect(verdictOf(r).observed).toContain(`→ 400; TLS: plain HTTP sent to an HTTPS port: ${host} speaks TLS; use https://${host}`);
      }
    });
  });
});
