/**
 * Certificates for the production-like local target: a CA the suite generates and TRUSTS explicitly (Node gets it
 * as `ca`, Chromium through its own NSS database), a server certificate for a real hostname, and a second,
 * untrusted CA whose certificate proves the suite fails with a clear TLS message instead of ignoring errors.
 * Made with the openssl CLI once per checkout (under .cache/tls/), then reused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SuiteCertificates {
  dir: string;
  hostname: string;
  /** PEM of the CA that clients trust. */
  caPem: string;
  caFile: string;
  serverCert: string;
  serverKey: string;
  /** A certificate for the same hostname from a CA nobody trusts. */
  untrustedCert: string;
  untrustedKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string, subject: string): void {
  if (existsSync(path.join(dir, `${name}.pem`))) return;
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
}

function issue(dir: string, ca: string, name: string, hostname: string): void {
  if (existsSync(path.join(dir, `${name}.pem`))) return;
  writeFileSync(
    path.join(dir, `${name}.ext`),
    `subjectAltName=DNS:${hostname}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${hostname}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '825', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

export function ensureCertificates(dir: string, hostname: string): SuiteCertificates {
  const hostDir = path.resolve(dir, hostname);
  mkdirSync(hostDir, { recursive: true });
  makeCa(hostDir, 'ca', '/CN=socketproof test CA');
  makeCa(hostDir, 'untrusted-ca', '/CN=socketproof UNTRUSTED CA');
  issue(hostDir, 'ca', 'server', hostname);
  issue(hostDir, 'untrusted-ca', 'untrusted-server', hostname);
  return certificatePaths(dir, hostname);
}

/** Where ensureCertificates put them, without making anything (workers read what the runner made). */
export function certificatePaths(dir: string, hostname: string): SuiteCertificates {
  const hostDir = path.resolve(dir, hostname);
  const caFile = path.join(hostDir, 'ca.pem');
  return {
    dir: hostDir,
    hostname,
    caFile,
    caPem: existsSync(caFile) ? readFileSync(caFile, 'utf8') : '',
    serverCert: path.join(hostDir, 'server.pem'),
    serverKey: path.join(hostDir, 'server.key'),
    untrustedCert: path.join(hostDir, 'untrusted-server.pem'),
    untrustedKey: path.join(hostDir, 'untrusted-server.key'),
  };
}

/**
 * Chromium on Linux trusts what the NSS database in $HOME/.pki/nssdb trusts. A HOME of the suite's own, with only
 * this CA added, makes Chromium verify the certificate for real — no ignoreHTTPSErrors, no flag that disables checks.
 */
export function browserHome(certs: SuiteCertificates): string {
  return path.join(certs.dir, 'browser-home');
}

export function ensureBrowserTrust(certs: SuiteCertificates): string {
  const home = browserHome(certs);
  const db = path.join(home, '.pki', 'nssdb');
  if (existsSync(path.join(db, 'cert9.db'))) return home;
  mkdirSync(db, { recursive: true });
  try {
    execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password'], { stdio: 'pipe' });
    execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'socketproof-test-ca', '-t', 'C,,', '-i', certs.caFile], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`cannot give Chromium the suite's CA (is libnss3-tools installed? apt-get install libnss3-tools): ${(error as Error).message.split('\n')[0]}`);
  }
  return home;
}
