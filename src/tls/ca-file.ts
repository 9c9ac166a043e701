/**
 * SOCKETPROOF_CA_FILE: one or several PEM certificates (a bundle, e.g. a company's root and intermediates) that
 * every client of the run trusts in addition to the system's: Node's agents get them as `ca`, Chromium through its
 * own NSS database (src/tls/browser-trust.ts). A file that cannot be read or holds no certificate is bad input,
 * said in one line before anything starts.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TargetError } from '../targets/load';

export interface CaBundle {
  file: string;
  /** Every certificate of the file, one PEM each. */
  pems: string[];
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function splitPemBundle(text: string): string[] {
  return (text.match(pemBlock) ?? []).map((pem) => `${pem}\n`);
}

/** Reads and checks a CA bundle; `variable` names the setting in the one-line error. */
export function readCaBundle(file: string, variable = 'SOCKETPROOF_CA_FILE'): CaBundle {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TargetError(`${variable}=${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const pems = splitPemBundle(text);
  if (pems.length === 0) throw new TargetError(`${variable}=${file}: no PEM certificate in it (expected -----BEGIN CERTIFICATE----- blocks)`);
  pems.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw new TargetError(`${variable}=${file}: certificate ${i + 1} of ${pems.length} is not a valid X.509 certificate`);
    }
  });
  return { file, pems };
}

export function caBundleFromEnv(env: NodeJS.ProcessEnv = process.env): CaBundle | undefined {
  const file = env.SOCKETPROOF_CA_FILE;
  return file ? readCaBundle(file) : undefined;
}
