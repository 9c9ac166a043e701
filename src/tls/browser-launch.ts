/**
 * What Chromium needs to reach and trust a target, the same for the test runner and the diagnose script: the
 * embedded HTTPS target's hostname mapped to loopback, and a HOME whose NSS database trusts the suite's CA (embedded
 * HTTPS) and every certificate of SOCKETPROOF_CA_FILE (any target, remote included).
 */
import type { Target } from '../targets/target';
import { browserTrustHome, ensureBrowserTrustHome } from './browser-trust';
import { caBundleFromEnv, splitPemBundle } from './ca-file';
import { certificatePaths, ensureCertificates } from './certificates';

export interface BrowserNetwork {
  args: string[];
  /** The environment Chromium starts with (HOME replaced), when it must trust extra CAs. */
  env?: Record<string, string>;
}

/**
 * `make`: create what is missing (certificates, the NSS database) — the runner does, before any worker starts a
 * browser; workers only compute the same paths.
 */
export function browserNetwork(target: Target, opts: { dir: string; make: boolean; env?: NodeJS.ProcessEnv }): BrowserNetwork {
  const env = opts.env ?? process.env;
  const args: string[] = [];
  const pems: string[] = [];
  const tls = target.embedded?.tls;
  if (tls) {
    const certs = opts.make ? ensureCertificates(opts.dir, tls.hostname) : certificatePaths(opts.dir, tls.hostname);
    args.push(`--host-resolver-rules=MAP ${tls.hostname} 127.0.0.1`);
    pems.push(...splitPemBundle(certs.caPem));
  }
  pems.push(...(caBundleFromEnv(env)?.pems ?? []));
  if (pems.length === 0) return { args };
  const home = opts.make ? ensureBrowserTrustHome(opts.dir, pems) : browserTrustHome(opts.dir, pems);
  return { args, env: { ...(env as Record<string, string>), HOME: home } };
}
