/**
 * Classification of what never reached the app: TLS failures (Node codes, Chromium's net:: errors, nginx's answer
 * to plain HTTP on an HTTPS port) and an authenticating proxy's 401/403 — while Theia's own 403 (an Engine.IO
 * body) stays on the Engine.IO path. The wording is one line, and the same for Node and the browser.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { diagnoseExchange, failedBeforeApp } from '../../src/checks/diagnose';
import { isAuthRefusal } from '../../src/checks/refused-before-app';
import type { Exchange } from '../../src/probes/http';
import { parseTarget } from '../../src/targets/load';
import { readCaBundle, splitPemBundle } from '../../src/tls/ca-file';
import { describeTlsFailure, tlsKindOfChromiumError, tlsKindOfNodeError } from '../../src/tls/failure';
import { renderLbConfig } from '../../src/topology/nginx-config';
import { healthySettings } from '../../src/topology/defaults';

const target = parseTarget(
  {
    name: 'prod-like',
    kind: 'remote',
    appPath: '/theia/',
    socketPath: '/theia/socket.io/',
    healthPath: '/health',
    healthBody: { status: 'healthy' },
    expect: { eio: 4, pingInterval: 30000, pingTimeout: 60000, maxPayload: 100000000, namespace: '/services' },
    sessionLengthMs: 45000,
    auth: { headers: { Authorization: 'SOCKETPROOF_PRODUCTION_AUTHORIZATION' } },
    hops: [{ name: 'lb', url: 'https://theia.example.com' }],
  },
  'unit',
);

function exchange(p: Partial<Exchange> & { status?: number }): Exchange {
  return {
    method: 'GET',
    url: 'https://theia.example.com/theia/socket.io/?EIO=4&transport=polling',
    requestHeaders: {},
    responseHeaders: {},
    body: '',
    ms: 1,
    ...p,
  };
}

test.describe('auth-rejected: a 401/403 from in front of the app', () => {
  test('a 401 on the app page names the target\'s auth variable and the header variables, and what was sent', () => {
    const d = diagnoseExchange(
      exchange({
        url: 'https://theia.example.com/theia/',
        status: 401,
        body: '<html><head><title>401 Authorization Required</title></head></html>',
        responseHeaders: { 'www-authenticate': 'Bearer realm="iap"' },
        requestHeaders: { authorization: '<redacted>', 'user-agent': 'x' },
      }),
      target,
    );
    expect(d.cause).toBe('auth-rejected');
    expect(d.observed).toBe(
      'GET /theia/ → 401 (WWW-Authenticate: Bearer): refused before the app (not an Engine.IO answer; credential headers sent: authorization); check SOCKETPROOF_PRODUCTION_AUTHORIZATION (header Authorization) / the header variables SOCKETPROOF_HEADER_<NAME>',
    );
  });

  test('a proxy 403 with an HTML page on a Socket.IO request is auth-rejected; no credential header is said so', () => {
    const d = diagnoseExchange(exchange({ status: 403, body: '<html>403 Forbidden</html>' }), target);
    expect(d.cause).toBe('auth-rejected');
    expect(d.observed).toContain('no credential header sent');
    expect(d.observed).not.toContain('\n');
  });

  test("Theia's own 403 stays on the Engine.IO path (origin/cookie/affinity), never auth-rejected", () => {
    const polling = diagnoseExchange(exchange({ status: 403, body: '{"code":4,"message":"Forbidden"}' }), target);
    expect(polling.cause).toBe('origin-rejected');
    expect(polling.observed).toContain('Engine.IO code 4');
    expect(isAuthRefusal(403, '{"code":4,"message":"Forbidden"}')).toBe(false);
    expect(isAuthRefusal(403, 'Forbidden')).toBe(false); // a refused upgrade's plain-text body
    expect(isAuthRefusal(400, '{"code":1,"message":"Session ID unknown"}')).toBe(false);
    expect(isAuthRefusal(401, '{"code":4,"message":"Forbidden"}')).toBe(true); // Engine.IO never answers 401
  });

  test('without a target only the header variables are named; SOCKETPROOF_HEADER_* names count as credentials', () => {
    const previous = process.env.SOCKETPROOF_HEADER_X_IAP_TOKEN;
    process.env.SOCKETPROOF_HEADER_X_IAP_TOKEN = 'planted';
    try {
      const d = diagnoseExchange(exchange({ status: 401, requestHeaders: { 'x-iap-token': '…', accept: '*/*' } }));
      expect(d.observed).toContain('credential headers sent: x-iap-token');
      expect(d.observed).toContain('; check the header variables SOCKETPROOF_HEADER_<NAME>');
      expect(d.observed).not.toContain('planted');
    } finally {
      if (previous === undefined) delete process.env.SOCKETPROOF_HEADER_X_IAP_TOKEN;
      else process.env.SOCKETPROOF_HEADER_X_IAP_TOKEN = previous;
    }
  });

  test('the app page decides at the first request: refused, failed, or on to the Socket.IO checks', () => {
    const page = (p: Partial<Exchange>) => exchange({ url: 'https://theia.example.com/theia/', ...p });
    expect(failedBeforeApp(page({ status: 401 }), target)?.cause).toBe('auth-rejected');
    expect(failedBeforeApp(page({ status: 403, body: 'Access denied' }), target)?.cause).toBe('auth-rejected');
    expect(failedBeforeApp(page({ error: 'connection refused (…)' }), target)?.cause).toBe('target-unreachable');
    expect(failedBeforeApp(page({ error: 'TLS: …', tlsCause: 'tls-expired' }), target)?.cause).toBe('tls-expired');
    expect(failedBeforeApp(page({ status: 200, body: '<html>' }), target)).toBeUndefined();
    expect(failedBeforeApp(page({ status: 404 }), target)).toBeUndefined(); // the Socket.IO checks name wrong-path
  });
});

test.describe('TLS failures', () => {
  test('Node and Chromium codes map to the same kinds', () => {
    const pairs: [string | undefined, string, string][] = [
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'net::ERR_CERT_AUTHORITY_INVALID', 'untrusted-issuer'],
      ['SELF_SIGNED_CERT_IN_CHAIN', 'net::ERR_CERT_AUTHORITY_INVALID', 'untrusted-issuer'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'net::ERR_CERT_AUTHORITY_INVALID', 'untrusted-issuer'],
      ['CERT_HAS_EXPIRED', 'net::ERR_CERT_DATE_INVALID', 'expired'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'net::ERR_CERT_COMMON_NAME_INVALID', 'name-mismatch'],
      ['ERR_SSL_WRONG_VERSION_NUMBER', 'net::ERR_SSL_PROTOCOL_ERROR', 'https-to-http-port'],
    ];
    for (const [node, chromium, kind] of pairs) {
      expect(tlsKindOfNodeError(node), node).toBe(kind);
      expect(tlsKindOfChromiumError(chromium), chromium).toBe(kind);
    }
    expect(tlsKindOfNodeError('EPROTO', 'write EPROTO …:SSL routines:ssl3_get_record:wrong version number:…')).toBe('https-to-http-port');
    expect(tlsKindOfNodeError('ECONNREFUSED')).toBeUndefined();
    expect(tlsKindOfChromiumError('net::ERR_CONNECTION_REFUSED')).toBeUndefined();
  });

  test('each kind is one line naming what to check; only the bracketed raw code differs between clients', () => {
    const url = 'https://theia.example.com/theia/';
    const cert = {
      issuer: 'CN=Example Corp Issuing CA, O=Example Corp',
      subject: 'CN=theia.example.com',
      names: 'DNS:theia.internal',
      validFrom: 'Jan  1 00:00:00 2020 GMT',
      validTo: 'Jan  2 00:00:00 2021 GMT',
    };
    expect(describeTlsFailure('untrusted-issuer', url, cert)).toBe(
      `TLS: the server's certificate is not signed by a trusted CA: theia.example.com presents a certificate issued by "CN=Example Corp Issuing CA, O=Example Corp"; SOCKETPROOF_CA_FILE=<PEM file, one or several certificates> adds a CA to trust (never disable verification)`,
    );
    expect(describeTlsFailure('expired', url, cert)).toBe(
      `TLS: the server's certificate is expired or not yet valid: theia.example.com presents a certificate for "CN=theia.example.com" valid until 2021-01-02T00:00:00Z; renew it`,
    );
    expect(describeTlsFailure('name-mismatch', url, cert)).toBe(
      'TLS: the certificate does not name the host asked for: asked for theia.example.com, the certificate names DNS:theia.internal',
    );
    expect(describeTlsFailure('http-to-https-port', 'http://theia.example.com:8443/theia/')).toBe(
      'TLS: plain HTTP sent to an HTTPS port: theia.example.com:8443 speaks TLS; use https://theia.example.com:8443',
    );
    expect(describeTlsFailure('https-to-http-port', 'https://theia.example.com:8080/theia/')).toBe(
      'TLS: HTTPS sent to a port that does not speak TLS: theia.example.com:8080 answers plain HTTP; use http://theia.example.com:8080 or the HTTPS port',
    );
    const node = describeTlsFailure('untrusted-issuer', url, cert, 'Node: UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const chromium = describeTlsFailure('untrusted-issuer', url, cert, 'Chromium: net::ERR_CERT_AUTHORITY_INVALID');
    expect(node.replace(/ \[[^\]]+\]$/, '')).toBe(chromium.replace(/ \[[^\]]+\]$/, ''));
    expect(node).toMatch(/\[Node: UNABLE_TO_VERIFY_LEAF_SIGNATURE\]$/);
  });

  test("nginx's 400 for plain HTTP on an HTTPS port is the wrong protocol, not an Engine.IO 400", () => {
    const body = '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n</html>';
    const d = diagnoseExchange(exchange({ url: 'http://127.0.0.1:8443/theia/socket.io/?EIO=4&transport=polling', status: 400, body }));
    expect(d.cause).toBe('tls-wrong-protocol');
    expect(d.observed).toContain('TLS: plain HTTP sent to an HTTPS port: 127.0.0.1:8443 speaks TLS; use https://127.0.0.1:8443');
  });

  test('a network error that a TLS explanation classified keeps its cause; other errors stay target-unreachable', () => {
    expect(diagnoseExchange(exchange({ error: 'TLS: …', tlsCause: 'tls-untrusted-issuer' })).cause).toBe('tls-untrusted-issuer');
    expect(diagnoseExchange(exchange({ error: 'DNS lookup failed (…)' })).cause).toBe('target-unreachable');
  });
});

test.describe('SOCKETPROOF_CA_FILE', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-ca-unit-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test('a bundle is split into every certificate', () => {
    const block = (b: string) => `-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----`;
    expect(splitPemBundle(`# company roots\n${block('AAA')}\n\n${block('BBB')}\n`)).toHaveLength(2);
  });

  test('bad input is one line naming the variable and the file', () => {
    expect(() => readCaBundle(path.join(dir, 'missing.pem'))).toThrow(/^SOCKETPROOF_CA_FILE=\S+missing\.pem: cannot read the file \(ENOENT\)$/);
    expect(() => readCaBundle(write('empty.pem', 'not a certificate\n'))).toThrow(
      /^SOCKETPROOF_CA_FILE=\S+empty\.pem: no PEM certificate in it \(expected -----BEGIN CERTIFICATE----- blocks\)$/,
    );
    expect(() => readCaBundle(write('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).toThrow(
      /^SOCKETPROOF_CA_FILE=\S+broken\.pem: certificate 1 of 1 is not a valid X\.509 certificate$/,
    );
  });
});

test.describe('load balancer settings', () => {
  const backends = [{ pod: 'pod-0', port: 41001 }];
  const place = { listenPort: 40100, prefix: '/tmp/socketproof-unit/lb' };
  const tls = { certFile: '/c.pem', keyFile: '/c.key', serverName: '127.0.0.1' };

  test('HTTP/2 on the TLS listener, on both servers of the port', () => {
    const conf = renderLbConfig({ ...healthySettings().lb, tls: { ...tls, http2: true } }, backends, place);
    expect(conf.match(/listen 127\.0\.0\.1:40100 ssl( default_server)? http2;/g)).toHaveLength(2);
  });

  test('a required Authorization answers 401 before any location', () => {
    const conf = renderLbConfig({ ...healthySettings().lb, requireAuthorization: 'Bearer x"y' }, backends, place);
    expect(conf).toContain('if ($http_authorization != "Bearer x\\"y") { return 401; }');
    expect(conf.indexOf('return 401')).toBeLessThan(conf.indexOf('location /'));
    expect(renderLbConfig(healthySettings().lb, backends, place)).not.toContain('http_authorization');
  });
});
