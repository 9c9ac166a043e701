/**
 * The production smoke run, proven against a real HTTPS endpoint: the production-like local target (TLS from a
 * CA the suite generates and trusts, a real hostname on loopback, host-based routing). Green when healthy; red
 * with the right cause and Allure category when a fault is injected; red with a clear TLS message on an untrusted
 * certificate. Secrets planted in the run's headers appear nowhere in what it generated, archives unpacked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { $ } from 'zx';

async function smoke(env: Record<string, string>): Promise<{ exitCode: number; out: string; reports: string }> {
  const reports = mkdtempSync(path.join(tmpdir(), 'socketproof-smoke-'));
  const run = await $({
    nothrow: true,
    quiet: true,
    env: { ...process.env, SOCKETPROOF_REPORTS_DIR: reports, ...env },
  })`npx tsx scripts/smoke.ts local-https`;
  return { exitCode: run.exitCode ?? -1, out: run.stdout + run.stderr, reports };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every file a run generated, with every zip (traces, report archives) unpacked next to it first. */
function unpackedFiles(dir: string): string[] {
  for (const zip of filesUnder(dir).filter((f) => f.endsWith('.zip'))) {
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, `${zip}.unpacked`]);
  }
  return filesUnder(dir);
}

test.describe('production smoke on the local HTTPS target', () => {
  // Each test runs a whole smoke run (npm, Playwright, a topology, Chromium): 1.6 min measured at load average 12.
  test.describe.configure({ mode: 'parallel', timeout: 300_000 });

  test('is green on the healthy target', { tag: '@selftest' }, async () => {
    const run = await smoke({});
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toContain('6 passed');
  });

  test('is red with the session-affinity cause and category on a fault, and leaks no planted secret', { tag: '@selftest' }, async () => {
    const planted = ['sp-planted-auth-7f3a9', 'sp-planted-key-91c2e', 'sp-planted-sso-55d0b'];
    const run = await smoke({
      SOCKETPROOF_FAULT: 'no-affinity',
      SOCKETPROOF_HEADER_AUTHORIZATION: `Bearer ${planted[0]}`,
      SOCKETPROOF_HEADER_X_API_KEY: planted[1] as string,
      SOCKETPROOF_HEADER_COOKIE: `sso=${planted[2]}`,
    });
    expect(run.exitCode, run.out).toBe(1);
    expect(run.out).toContain('cause:    session-affinity');

    const results = path.join(run.reports, 'allure-results');
    const categories = JSON.parse(readFileSync(path.join(results, 'categories.json'), 'utf8')) as { name: string; messageRegex: string }[];
    const affinity = categories.find((c) => c.name === 'No session affinity across replicas');
    const failed = readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(path.join(results, f), 'utf8')) as { status: string; statusDetails?: { message?: string } })
      .filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.some((r) => new RegExp(affinity?.messageRegex ?? '^$').test(r.statusDetails?.message ?? ''))).toBe(true);
    expect(readdirSync(results)).toContain('environment.properties');

    await $({ quiet: true })`npx allure generate ${results} -o ${path.join(run.reports, 'allure-report')}`;
    const leaks = unpackedFiles(run.reports).filter((f) => {
      const text = readFileSync(f).toString('latin1');
      return planted.some((secret) => text.includes(secret));
    });
    expect(leaks, 'files that contain a planted secret').toEqual([]);
  });

  test('fails with a clear TLS message on an untrusted certificate', { tag: '@selftest' }, async () => {
    // A red run restarts a Playwright worker after each failed test (~10 s each on a loaded 2-core machine).
    test.setTimeout(300_000);
    const run = await smoke({ SOCKETPROOF_TLS_UNTRUSTED: '1' });
    expect(run.exitCode, run.out).toBe(1);
    expect(run.out).toContain("the server's certificate is not signed by a trusted CA");
    expect(run.out).toContain('net::ERR_CERT_AUTHORITY_INVALID');
  });
});
