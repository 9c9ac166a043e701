/**
 * Shared by the TLS and auth self-tests: a "company" PKI that is not the suite's (openssl), the embedded topology
 * behind a load balancer configured per test, and a real smoke run (`scripts/smoke.ts`) against it as the remote
 * target tests/self/https-remote.yaml — exactly what a user runs against production — with its reports in a
 * directory of its own, read back verdict by verdict.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { $ } from 'zx';
import { freshRunEnv } from '../../src/runner-env';
import { issueCertificate, makeCa } from '../../src/tls/certificates';
import { type DeepPartial, healthySettings } from '../../src/topology/defaults';
import { startTopology } from '../../src/topology/topology';
import type { LoadBalancerSettings, RunningTopology } from '../../src/topology/types';

export const remoteTarget = 'tests/self/https-remote.yaml';
/** The @smoke checks on its one hop: handshake, session-continuity, websocket-upgrade, connection-lifetime, health, browser-terminal. */
export const smokeChecks = 6;
export const companyIssuer = 'O=Selftest Corp, CN=socketproof selftest company CA';

export interface CompanyPki {
  /** SOCKETPROOF_CA_FILE: an unrelated CA first, the issuing CA second (a client trusting only the first fails). */
  bundle: string;
  /** A certificate of the company CA: `certFile`/`keyFile` for the load balancer. */
  cert(name: 'ip' | 'elsewhere'): { certFile: string; keyFile: string };
}

/** Made once per worker: a CA of its own and server certificates, by IP (no name mapping needed) or for another name. */
let pki: CompanyPki | undefined;
export function companyPki(): CompanyPki {
  if (pki) return pki;
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-company-pki-'));
  makeCa(dir, 'unrelated-ca', '/CN=socketproof selftest unrelated CA');
  makeCa(dir, 'company-ca', '/O=Selftest Corp/CN=socketproof selftest company CA');
  issueCertificate(dir, 'company-ca', 'ip', { commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1' });
  issueCertificate(dir, 'company-ca', 'elsewhere', { commonName: 'theia.elsewhere.test', subjectAltName: 'DNS:theia.elsewhere.test' });
  const bundle = path.join(dir, 'company-bundle.pem');
  writeFileSync(bundle, readFileSync(path.join(dir, 'unrelated-ca.pem'), 'utf8') + readFileSync(path.join(dir, 'company-ca.pem'), 'utf8'));
  pki = {
    bundle,
    cert: (name) => ({ certFile: path.join(dir, `${name}.pem`), keyFile: path.join(dir, `${name}.key`) }),
  };
  return pki;
}

/** The embedded topology behind a load balancer with these settings; stopped (by PID) whatever `use` does. */
export async function withLoadBalancer<T>(lb: DeepPartial<LoadBalancerSettings>, use: (topology: RunningTopology) => Promise<T>): Promise<T> {
  const topology = await startTopology(healthySettings({ lb }));
  try {
    return await use(topology);
  } finally {
    await topology.stop();
  }
}

/** A load balancer with the company CA's certificate (by IP) and an identity-aware proxy that wants `Bearer <wanted>`. */
export function companyLb(wanted: string, opts: { http2?: boolean } = {}): DeepPartial<LoadBalancerSettings> {
  return { tls: { ...companyPki().cert('ip'), serverName: '127.0.0.1', http2: opts.http2 }, requireAuthorization: `Bearer ${wanted}` };
}

/**
 * The smoke run a user makes against that load balancer: its URL, this Authorization value ('' = the secret handed
 * over unset) and the company CA bundle as SOCKETPROOF_CA_FILE unless `ca: false`; its time noted on the test.
 */
export async function smokeBehindCompanyLb(topology: RunningTopology, authorization: string, opts: { ca?: boolean } = {}): Promise<SmokeRun> {
  const run = await smokeRemote({
    SOCKETPROOF_PRODUCTION_URL: topology.lbUrl,
    SOCKETPROOF_PRODUCTION_AUTHORIZATION: authorization,
    ...(opts.ca === false ? {} : { SOCKETPROOF_CA_FILE: companyPki().bundle }),
  });
  test.info().annotations.push({ type: 'smoke run', description: `${run.ms} ms` });
  return run;
}

export interface RunResult {
  name: string;
  status: string;
  message: string;
}

export interface SmokeRun {
  exitCode: number;
  out: string;
  reports: string;
  ms: number;
  results: RunResult[];
}

/** Variables of the enclosing environment that would change what the nested run trusts or sends. */
function inheritedSettings(): string[] {
  return Object.keys(process.env).filter((k) => /^SOCKETPROOF_(CA_FILE|PRODUCTION_|HEADER_|FAULT|TLS_)/.test(k));
}

/**
 * `npx tsx scripts/smoke.ts tests/self/https-remote.yaml` (or another target: the production rehearsal runs
 * `production` itself) with exactly `env` on top of a clean environment.
 */
export async function smokeRemote(env: Record<string, string>, target = remoteTarget): Promise<SmokeRun> {
  const reports = mkdtempSync(path.join(tmpdir(), 'socketproof-tls-smoke-'));
  const started = Date.now();
  const run = await $({
    nothrow: true,
    quiet: true,
    env: freshRunEnv({ SOCKETPROOF_REPORTS_DIR: reports, ...env }, inheritedSettings()),
  })`npx tsx scripts/smoke.ts ${target}`;
  const ms = Date.now() - started;
  console.log(`smoke run ${target}: exit ${run.exitCode}, ${ms} ms`);
  const dir = path.join(reports, 'allure-results');
  const results = readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { name: string; status: string; statusDetails?: { message?: string } })
    .map((r) => ({ name: r.name, status: r.status, message: r.statusDetails?.message ?? '' }));
  // The verdicts in full (the list reporter shortens long lines), for the report of a failed self-test.
  const failed = results.filter((r) => r.status !== 'passed').map((r) => `${r.name}\n${r.message}`);
  return { exitCode: run.exitCode ?? -1, out: [run.stdout + run.stderr, ...failed].join('\n\n'), reports, ms, results };
}

/** The `observed:` and `cause:` lines of a failed verdict's message. */
export function verdictOf(r: RunResult): { cause?: string; observed?: string } {
  return {
    cause: /^\s*cause:\s+(\S+)/m.exec(r.message)?.[1],
    observed: /^\s*observed:\s+(.*)$/m.exec(r.message)?.[1],
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every file the run generated (zips unpacked first, the Allure HTML report built) that contains a secret. */
export async function filesContaining(run: SmokeRun, secrets: string[]): Promise<string[]> {
  const started = Date.now();
  await $({ quiet: true })`npx allure generate ${path.join(run.reports, 'allure-results')} -o ${path.join(run.reports, 'allure-report')}`;
  for (const zip of filesUnder(run.reports).filter((f) => f.endsWith('.zip'))) {
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, `${zip}.unpacked`]);
  }
  const leaks = filesUnder(run.reports).filter((f) => {
    const text = readFileSync(f).toString('latin1');
    return secrets.some((s) => text.includes(s));
  });
  console.log(`leak check (allure report built, zips unpacked, ${filesUnder(run.reports).length} files): ${Date.now() - started} ms`);
  return leaks;
}
