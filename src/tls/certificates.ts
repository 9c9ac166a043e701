/**
 * Certificates for the production-like local target: a CA the suite generates and TRUSTS explicitly (Node gets it
 * as `ca`, Chromium through its own NSS database: src/tls/browser-trust.ts), a server certificate for a real
 * hostname, and a second, untrusted CA whose certificate proves the suite fails with a clear TLS message instead of
 * ignoring errors. makeCa and issueCertificate also make the self-tests' "company" PKI (a CA that is not ours).
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

/** `<dir>/<name>.pem` and `.key`: a self-signed CA (made once; an existing one is kept). */
export function makeCa(dir: string, name: string, subject: string): void {
  if (existsSync(path.join(dir, `${name}.pem`))) return;
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
}

export interface IssueOptions {
  commonName: string;
  /** openssl syntax: `DNS:theia.example.com,IP:127.0.0.1`. */
  subjectAltName: string;
  /** Validity from now; negative makes an already expired certificate (notAfter in the past). Default 825. */
  days?: number;
}

/** `<dir>/<name>.pem` and `.key`: a server certificate signed by the CA `<dir>/<ca>.pem` (made once). */
export function issueCertificate(dir: string, ca: string, name: string, o: IssueOptions): void {
  if (existsSync(path.join(dir, `${name}.pem`))) return;
  writeFileSync(
    path.join(dir, `${name}.ext`),
    `subjectAltName=${o.subjectAltName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${o.commonName}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', String(o.days ?? 825), '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

function issue(dir: string, ca: string, name: string, hostname: string): void {
  issueCertificate(dir, ca, name, { commonName: hostname, subjectAltName: `DNS:${hostname}` });
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
