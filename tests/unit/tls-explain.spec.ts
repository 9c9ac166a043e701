/**
 * The TLS explanation against real servers on loopback (Node's TLS, certificates from openssl): the probes' own
 * errors become the right cause with the issuer / names / dates read from the certificate, a CA bundle is trusted
 * on top of the system's roots, also through a CONNECT proxy, and wrong-protocol suspicions are confirmed by a
 * handshake, never guessed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { HttpClient } from '../../src/probes/http';
import { startConnectProxy } from '../../src/testing/connect-proxy';
import { explainChromiumError } from '../../src/tls/explain';
import { issueCertificate, makeCa } from '../../src/tls/certificates';

const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-tls-unit-'));
makeCa(dir, 'other-ca', '/CN=unit unrelated CA');
makeCa(dir, 'company-ca', '/O=Unit Corp/CN=unit company CA');
issueCertificate(dir, 'company-ca', 'good', { commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1,DNS:localhost' });
issueCertificate(dir, 'company-ca', 'expired', { commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1', days: -1 });
issueCertificate(dir, 'company-ca', 'elsewhere', { commonName: 'theia.elsewhere.test', subjectAltName: 'DNS:theia.elsewhere.test' });
const pem = (name: string) => readFileSync(path.join(dir, `${name}.pem`), 'utf8');
// The issuing CA second: a client that trusted only a bundle's first certificate would fail.
const bundle = pem('other-ca') + pem('company-ca');
writeFileSync(path.join(dir, 'bundle.pem'), bundle);

const servers: http.Server[] = [];
async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const tlsServer = (cert: string) =>
  listen(https.createServer({ cert: pem(cert), key: readFileSync(path.join(dir, `${cert}.key`)) }, (_q, r) => r.end('ok')));

test.afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

test.describe('TLS failures from real servers', () => {
  test('trusted through the bundle (its second certificate)', async () => {
    const host = await tlsServer('good');
    const ex = await new HttpClient({ ca: bundle }).request('GET', `https://${host}/theia/`);
    expect(ex.error).toBeUndefined();
    expect(ex.status).toBe(200);
  });

  test('untrusted issuer: named from the certificate', async () => {
    const host = await tlsServer('good');
    const ex = await new HttpClient({ ca: pem('other-ca') }).request('GET', `https://${host}/theia/`);
    expect(ex.tlsCause).toBe('tls-untrusted-issuer');
    expect(ex.error).toBe(
      `TLS: the server's certificate is not signed by a trusted CA: ${host} presents a certificate issued by "O=Unit Corp, CN=unit company CA"; SOCKETPROOF_CA_FILE=<PEM file, one or several certificates> adds a CA to trust (never disable verification) [Node: UNABLE_TO_VERIFY_LEAF_SIGNATURE]`,
    );
  });

  test('expired, with its end date', async () => {
    const host = await tlsServer('expired');
    const ex = await new HttpClient({ ca: bundle }).request('GET', `https://${host}/`);
    expect(ex.tlsCause).toBe('tls-expired');
    expect(ex.error).toMatch(
      new RegExp(`^TLS: the server's certificate is expired or not yet valid: ${host} presents a certificate for "CN=127.0.0.1" valid until \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z; renew it \\[Node: CERT_HAS_EXPIRED\\]$`),
    );
  });

  test("name mismatch: the certificate's names and the host asked for", async () => {
    const host = await tlsServer('elsewhere');
    const ex = await new HttpClient({ ca: bundle }).request('GET', `https://${host}/`);
    expect(ex.tlsCause).toBe('tls-name-mismatch');
    expect(ex.error).toBe(
      'TLS: the certificate does not name the host asked for: asked for 127.0.0.1, the certificate names DNS:theia.elsewhere.test [Node: ERR_TLS_CERT_ALTNAME_INVALID]',
    );
  });

  test('HTTPS to a plain HTTP port, and plain HTTP to a TLS port (confirmed by a handshake)', async () => {
    const plain = await listen(http.createServer((_q, r) => r.end('ok')));
    const toPlain = await new HttpClient({ ca: bundle }).request('GET', `https://${plain}/`);
    expect(toPlain.tlsCause).toBe('tls-wrong-protocol');
    expect(toPlain.error).toMatch(/^TLS: HTTPS sent to a port that does not speak TLS: 127\.0\.0\.1:\d+ answers plain HTTP; use http:\/\/127\.0\.0\.1:\d+ or the HTTPS port \[Node: EPROTO\]$/);
    const secure = await tlsServer('good');
    const toTls = await new HttpClient({ ca: bundle }).request('GET', `http://${secure}/`);
    expect(toTls.tlsCause).toBe('tls-wrong-protocol');
    expect(toTls.error).toBe(`TLS: plain HTTP sent to an HTTPS port: ${secure} speaks TLS; use https://${secure} [Node: ECONNRESET]`);
  });

  test('a refused connection is not a TLS matter', async () => {
    const ex = await new HttpClient({ ca: bundle }).request('GET', 'https://127.0.0.1:1/');
    expect(ex.tlsCause).toBeUndefined();
    expect(ex.error).toMatch(/^connection refused/);
  });

  test("Chromium's codes get the same sentence, certificate facts read by the same handshake", async () => {
    const host = await tlsServer('good');
    const url = `https://${host}/theia/`;
    const node = await new HttpClient({ ca: pem('other-ca') }).request('GET', url);
    const browser = await explainChromiumError(url, `page.goto: net::ERR_CERT_AUTHORITY_INVALID at ${url}`, { ca: pem('other-ca') });
    expect(browser?.cause).toBe('tls-untrusted-issuer');
    expect(browser?.message.replace(/ \[[^\]]+\]$/, '')).toBe(node.error?.replace(/ \[[^\]]+\]$/, ''));
    expect(browser?.message).toMatch(/\[Chromium: net::ERR_CERT_AUTHORITY_INVALID\]$/);
    // A protocol error on a port that does speak TLS is not "wrong protocol": no guess, no TLS cause.
    expect(await explainChromiumError(url, `page.goto: net::ERR_SSL_PROTOCOL_ERROR at ${url}`, { ca: bundle })).toBeUndefined();
  });
});

test('through a CONNECT proxy the bundle still decides trust, and the issuer is read through the tunnel', async () => {
  const host = await tlsServer('good');
  const proxy = await startConnectProxy();
  try {
    const viaProxy = { url: proxy.url, noProxy: [] };
    const ok = await new HttpClient({ ca: bundle, proxy: viaProxy }).request('GET', `https://${host}/theia/`);
    expect(ok.error).toBeUndefined();
    expect(ok.status).toBe(200);
    const refused = await new HttpClient({ ca: pem('other-ca'), proxy: viaProxy }).request('GET', `https://${host}/theia/`);
    expect(refused.tlsCause).toBe('tls-untrusted-issuer');
    expect(refused.error).toContain('issued by "O=Unit Corp, CN=unit company CA"');
    expect(proxy.tunnels.filter((t) => t.target === host).length).toBeGreaterThanOrEqual(3);
  } finally {
    await proxy.close();
  }
});
