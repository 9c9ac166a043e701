/**
 * A deployment served with a certificate from a CA of its own (a company CA, not the suite's), reached as a remote
 * target the way a user reaches production: green on every check — the browser included — with the CA given as
 * SOCKETPROOF_CA_FILE (a bundle whose issuing CA is not the first certificate), red with the untrusted-issuer cause
 * naming the issuer without it, in the same words for Node and Chromium. And behind an HTTP/2 load balancer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { companyIssuer, companyPki, smokeRemote, verdictOf, withLoadBalancer } from './remote-https';

const smokeChecks = 6; // handshake, session-continuity, websocket-upgrade, connection-lifetime, health, browser-terminal

test.describe('a CA of its own', () => {
  test.describe.configure({ timeout: 180_000 });

  test('green on every check, browser included, with SOCKETPROOF_CA_FILE', { tag: '@selftest' }, async () => {
    const pki = companyPki();
    await withLoadBalancer({ tls: { ...pki.cert('ip'), serverName: '127.0.0.1' } }, async (lb) => {
      const run = await smokeRemote({
        SOCKETPROOF_PRODUCTION_URL: lb.lbUrl,
        SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer not-checked-by-this-lb',
        SOCKETPROOF_CA_FILE: pki.bundle,
      });
      console.log(`green with the CA file: ${run.ms} ms`);
      expect(run.exitCode, run.out).toBe(0);
      expect(run.out).toContain(`${smokeChecks} passed`);
      expect(run.results.map((r) => r.status)).toEqual(Array(smokeChecks).fill('passed'));
    });
  });

  test('red with tls-untrusted-issuer on every check without it, naming the issuer, the same words in Node and Chromium', { tag: '@selftest' }, async () => {
    const pki = companyPki();
    await withLoadBalancer({ tls: { ...pki.cert('ip'), serverName: '127.0.0.1' } }, async (lb) => {
      const run = await smokeRemote({ SOCKETPROOF_PRODUCTION_URL: lb.lbUrl, SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer x' });
      console.log(`red without the CA file: ${run.ms} ms`);
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
      const sentence = (r: { observed?: string }) => r.observed?.replace(/^.*?→ /, '').replace(/ \[[^\]]+\]$/, '');
      expect(new Set(verdicts.map(sentence)).size, 'one sentence for every check, Node and Chromium alike').toBe(1);
      console.log(`the message: ${verdicts[0]?.observed}`);
      console.log(`the browser's: ${browser ? verdictOf(browser).observed : ''}`);
      const categories = JSON.parse(readFileSync(path.join(run.reports, 'allure-results', 'categories.json'), 'utf8')) as { name: string; messageRegex: string }[];
      const category = categories.find((c) => c.name === "TLS: the server's certificate is not signed by a trusted CA");
      expect(run.results.every((r) => new RegExp(category?.messageRegex ?? '^$').test(r.message))).toBe(true);
    });
  });

  test('behind an HTTP/2 load balancer: green, Chromium loads over h2 and still upgrades to websocket over HTTP/1.1', { tag: '@selftest' }, async () => {
    const pki = companyPki();
    await withLoadBalancer({ tls: { ...pki.cert('ip'), serverName: '127.0.0.1', http2: true } }, async (lb) => {
      const run = await smokeRemote({
        SOCKETPROOF_PRODUCTION_URL: lb.lbUrl,
        SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer not-checked-by-this-lb',
        SOCKETPROOF_CA_FILE: pki.bundle,
      });
      console.log(`green over HTTP/2: ${run.ms} ms`);
      expect(run.exitCode, run.out).toBe(0);
      expect(run.out).toContain(`${smokeChecks} passed`);
      const access = (await lb.logs()).find((l) => l.name === 'nginx-lb.access.log')?.text ?? '';
      // Only Chromium speaks h2 (Node's clients offer HTTP/1.1 alone): the page and its polling went over HTTP/2 …
      expect(access).toMatch(/"GET \/theia\/ HTTP\/2\.0" 200/);
      expect(access).toMatch(/"(GET|POST) \/theia\/socket\.io\/\?EIO=4&transport=polling&t=[^"]* HTTP\/2\.0" 200/);
      // … and every websocket, Chromium's included, upgraded over HTTP/1.1 (nginx has no WebSocket over h2).
      expect(access).toMatch(/transport=websocket[^"]* HTTP\/1\.1" 101/);
      expect(access).not.toMatch(/transport=websocket[^"]* HTTP\/2\.0"/);
    });
  });
});
