/**
 * The embedded topology a target file asks for: its app, paths and timers, plus what the environment injects (a
 * fault of the matrix, the user's own nginx config, the HTTPS certificate). Used by the runtime fixture and by
 * `npm run serve`, so what a user starts by hand is what the suite tests.
 */
import { findFault } from '../faults/traffic';
import type { Target } from '../targets/target';
import { ensureCertificates } from '../tls/certificates';
import { deepMerge, type DeepPartial, healthySettings } from '../topology/defaults';
import type { TopologySettings } from '../topology/types';

export const certificatesDir = '.cache/tls';

/** The topology an embedded target asks for, plus what the environment injects (a fault, the user's nginx.conf). */
export function embeddedSettings(target: Target, env: NodeJS.ProcessEnv = process.env): TopologySettings {
  // The app, its paths and its timers follow the target file: a target served at `/` gets an app served at `/`.
  const overrides: DeepPartial<TopologySettings>[] = [appSettings(target)];
  const fault = env.SOCKETPROOF_FAULT;
  if (fault) overrides.push(findFault(fault).settings);
  // The user's own in-pod nginx config (production's), ports rewritten: tests their real proxy settings.
  const userConf = env.SOCKETPROOF_POD_NGINX_CONF;
  if (userConf) overrides.push({ pod: { nginxConfigFile: userConf } });
  // The user's own load-balancer nginx (an edge nginx, or an ingress they configure), its upstream servers the pods.
  const userLbConf = env.SOCKETPROOF_LB_NGINX_CONF;
  if (userLbConf) overrides.push({ lb: { nginxConfigFile: userLbConf } });
  const tls = target.embedded?.tls;
  if (tls) {
    const certs = ensureCertificates(certificatesDir, tls.hostname);
    // SOCKETPROOF_TLS_UNTRUSTED=1 serves a certificate from a CA nobody trusts: the run must fail, clearly.
    const untrusted = env.SOCKETPROOF_TLS_UNTRUSTED === '1';
    overrides.push({
      lb: {
        tls: {
          serverName: tls.hostname,
          certFile: untrusted ? certs.untrustedCert : certs.serverCert,
          keyFile: untrusted ? certs.untrustedKey : certs.serverKey,
        },
      },
    });
  }
  return overrides.reduce<TopologySettings>((s, o) => deepMerge(s, o), healthySettings());
}

/** The embedded app a target describes: the plain Socket.IO server for `app: socket.io`, else the (mock or real) Theia. */
export function appSettings(target: Target): DeepPartial<TopologySettings> {
  if (target.app === 'socket.io') return { app: 'plain-socketio' };
  const { pingInterval, pingTimeout, maxPayload } = target.expect;
  const servedAt = target.embedded?.appServedAt;
  return {
    app: target.embedded?.app ?? 'mock-theia',
    theia: {
      basePath: servedAt ?? target.appPath,
      socketPath: servedAt ? `${servedAt}socket.io/` : target.socketPath,
      pathsFromConfig: servedAt === undefined,
      pingInterval,
      pingTimeout,
      maxPayload,
    },
  };
}

