/**
 * The deployment of issue 17, stood up for real: a load balancer with a certificate from a CA of its own (a company
 * CA, not the suite's) and an identity-aware proxy's Authorization check, over HTTP/1.1 and HTTP/2, reached as a
 * remote target the way a user reaches production (tests/self/https-remote.yaml: SOCKETPROOF_PRODUCTION_URL,
 * SOCKETPROOF_PRODUCTION_AUTHORIZATION). Green on every check — the browser included — with the CA given as
 * SOCKETPROOF_CA_FILE (a bundle whose issuing CA is not the first certificate), with no trace of the token in what
 * the run wrote; red with the untrusted-issuer cause naming the issuer without it, in the same words for Node and
 * Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';
import { freshRunEnv } from '../../src/runner-env';
import { companyIssuer, companyLb, filesContaining, smokeBehindCompanyLb, smokeChecks, verdictOf, withLoadBalancer } from './remote-https';

test.describe('a CA of its own and an Authorization check at the load balancer', () => {
  // A red run restarts a worker after each failed test: minutes on a loaded machine.
  test.describe.configure({ timeout: 300_000 });
  const token = `sp-planted-iap-${randomBytes(6).toString('hex')}`;
  const lb = (http2: boolean) => companyLb(token, { http2 });

  test('green on every check, browser included, with SOCKETPROOF_CA_FILE and the header; the token is written nowhere', { tag: '@selftest' }, async () => {
    await withLoadBalancer(lb(false), async (topology) => {
      const run = await smokeBehindCompanyLb(topology, `Bearer ${token}`);
      expect(run.exitCode, run.out).toBe(0);
      expect(run.out).toContain(`${smokeChecks} passed`);
      expect(run.results.map((r) => r.status)).toEqual(Array(smokeChecks).fill('passed'));
      expect(run.out).not.toContain(token);
      expect(await filesContaining(run, [token]), 'files that contain the planted token').toEqual([]);
    });
  });

  test('green behind HTTP/2: Chromium loads over h2 and still upgrades to websocket over HTTP/1.1', { tag: '@selftest' }, async () => {
    await withLoadBalancer(lb(true), async (topology) => {
      const run = await smokeBehindCompanyLb(topology, `Bearer ${token}`);
      expect(run.exitCode, run.out).toBe(0);
      expect(run.out).toContain(`${smokeChecks} passed`);
      const access = (await topology.logs()).find((l) => l.name === 'nginx-lb.access.log')?.text ?? '';
      // Only Chromium speaks h2 (Node's clients offer HTTP/1.1 alone): the page and its polling went over HTTP/2 …
      expect(access).toMatch(/"GET \/theia\/ HTTP\/2\.0" 200/);
      expect(access).toMatch(/"(GET|POST) \/theia\/socket\.io\/\?EIO=4&transport=polling&t=[^"]* HTTP\/2\.0" 200/);
      // … and every websocket, Chromium's included, upgraded over HTTP/1.1 (nginx has no WebSocket over h2).
      expect(access).toMatch(/transport=websocket[^"]* HTTP\/1\.1" 101/);
      expect(access).not.toMatch(/transport=websocket[^"]* HTTP\/2\.0"/);
    });
  });

  test('red with tls-untrusted-issuer on every check without the CA file, naming the issuer, the same words in Node and Chromium', { tag: '@selftest' }, async () => {
    await withLoadBalancer(lb(false), async (topology) => {
      const run = await smokeBehindCompanyLb(topology, `Bearer ${token}`, { ca: false });
      expect(run.exitCode, run.out).toBe(1);
      expect(run.results).toHaveLength(smokeChecks);
      const verdicts = run.results.map(verdictOf);
      for (const [i, v] of verdicts.entries()) {
        expect(run.results[i]?.status, run.results[i]?.name).toBe('failed');
        expect(v.cause, run.results[i]?.message).toBe('tls-untrusted-issuer');
        expect(v.observed).toContain(`presents a certificate issued by "${companyIssuer}"; SOCKETPROOF_CA_FILE=`);
      }
      const browser = run.results.find((r) => r.name.includes('terminal'));
      expect(browser?.message).toContain('[Chromium: net::ERR_CERT_AUTHORITY_INVALID]');
      const sentence = (v: { observed?: string }) => v.observed?.replace(/^.*?→ /, '').replace(/ \[[^\]]+\]$/, '');
      expect(new Set(verdicts.map(sentence)).size, 'one sentence for every check, Node and Chromium alike').toBe(1);
      const categories = JSON.parse(readFileSync(path.join(run.reports, 'allure-results', 'categories.json'), 'utf8')) as { name: string; messageRegex: string }[];
      const category = categories.find((c) => c.name === "TLS: the server's certificate is not signed by a trusted CA");
      expect(run.results.every((r) => new RegExp(category?.messageRegex ?? '^$').test(r.message))).toBe(true);
    });
  });

  test('a CA file without a certificate: exit 2 and one line naming the variable, before anything starts', { tag: '@selftest' }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-bad-ca-'));
    const file = path.join(dir, 'company-ca.pem');
    writeFileSync(file, 'the CA is on the wiki\n');
    // Reports in a directory of its own: the nested runner cleans its reports' allure-results before it starts.
    const env = freshRunEnv({ SOCKETPROOF_CA_FILE: file, SOCKETPROOF_REPORTS_DIR: dir });
    const run = await $({ nothrow: true, quiet: true, env })`npx tsx scripts/smoke.ts local`;
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `socketproof: SOCKETPROOF_CA_FILE=${file}: no PEM certificate in it (expected -----BEGIN CERTIFICATE----- blocks)`,
    ]);
  });
});
