/**
 * Chromium's trust. On Linux Chromium trusts what the NSS database in $HOME/.pki/nssdb trusts, so a HOME of the
 * suite's own holding exactly the CAs the run trusts (the suite's CA for an embedded HTTPS target, every
 * certificate of SOCKETPROOF_CA_FILE) makes Chromium verify for real — no ignoreHTTPSErrors, no flag that turns
 * checks off. One HOME per set of CAs (named by their hash), made once by the runner, found by the workers.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function key(pems: string[]): string {
  return createHash('sha256').update(pems.join('')).digest('hex').slice(0, 16);
}

/** Where the HOME for these CAs is (made or not). */
export function browserTrustHome(dir: string, pems: string[]): string {
  return path.resolve(dir, 'browser-trust', key(pems));
}

function certutil(args: string[]): void {
  execFileSync('certutil', args, { stdio: 'pipe' });
}

/**
 * Makes the HOME if it does not exist yet: every certificate imported on its own (certutil -A reads only the first
 * certificate of a file, so a bundle imported whole would silently trust one CA). Built in a temporary directory
 * and renamed into place, so two runs making the same HOME at once cannot leave a half-made database.
 */
export function ensureBrowserTrustHome(dir: string, pems: string[]): string {
  const home = browserTrustHome(dir, pems);
  if (existsSync(path.join(home, '.pki', 'nssdb', 'cert9.db'))) return home;
  mkdirSync(path.dirname(home), { recursive: true });
  const staging = mkdtempSync(`${home}.tmp-`);
  const db = path.join(staging, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  try {
    certutil(['-N', '-d', `sql:${db}`, '--empty-password']);
    pems.forEach((pem, i) => {
      const file = path.join(staging, `ca-${i}.pem`);
      writeFileSync(file, pem);
      certutil(['-A', '-d', `sql:${db}`, '-n', `socketproof-ca-${i}-${key([pem]).slice(0, 8)}`, '-t', 'C,,', '-i', file]);
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `cannot give Chromium the CAs to trust (is libnss3-tools installed? apt-get install libnss3-tools): ${(error as Error).message.split('\n')[0]}`,
    );
  }
  try {
    renameSync(staging, home);
  } catch {
    // Another run made the same HOME meanwhile: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return home;
}
