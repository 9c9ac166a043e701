/**
 * Fresh credentials for one run: a CA and a 127.0.0.1/localhost serving cert, an RSA
 * service-account key, and a static token file with the admin and the restricted user.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { ADMIN_USER, RESTRICTED_USER } from './versions';

const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = socketproof
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

export interface Credentials {
  caFile: string;
  ca: string;
  certFile: string;
  keyFile: string;
  saKey: string;
  saPub: string;
  tokenFile: string;
  adminToken: string;
  restrictedToken: string;
}

/** A CA and a 127.0.0.1/localhost serving cert (openssl), an RSA service-account key and a token file (Node crypto). */
export async function makeCredentials(dir: string): Promise<Credentials> {
  const pki = path.join(dir, 'pki');
  await fs.mkdir(pki, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(pki, name);
  const pem = (kind: 'ec' | 'rsa') =>
    kind === 'ec'
      ? generateKeyPairSync('ec', {
          namedCurve: 'prime256v1',
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        })
      : generateKeyPairSync('rsa', {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        });
  const caKey = pem('ec');
  const serverKey = pem('ec');
  const sa = pem('rsa');
  await fs.writeFile(f('openssl.cnf'), OPENSSL_CNF);
  await fs.writeFile(f('ca.key'), caKey.privateKey, { mode: 0o600 });
  await fs.writeFile(f('apiserver.key'), serverKey.privateKey, { mode: 0o600 });
  await fs.writeFile(f('sa.key'), sa.privateKey, { mode: 0o600 });
  await fs.writeFile(f('sa.pub'), sa.publicKey);
  const sh = $({ cwd: pki, quiet: true });
  await sh`openssl req -x509 -new -key ca.key -config openssl.cnf -extensions v3_ca -subj /CN=socketproof-local-ca -days 7 -out ca.crt`;
  await sh`openssl req -new -key apiserver.key -config openssl.cnf -subj /CN=kube-apiserver -out apiserver.csr`;
  const serial = `0x${randomBytes(12).toString('hex')}`;
  await sh`openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -set_serial ${serial} -days 7 -extfile openssl.cnf -extensions v3_server -out apiserver.crt`;
  const adminToken = randomBytes(24).toString('hex');
  const restrictedToken = randomBytes(24).toString('hex');
  // token,user,uid,"group1,group2"
  await fs.writeFile(
    f('tokens.csv'),
    `${adminToken},${ADMIN_USER},${ADMIN_USER},"system:masters"\n${restrictedToken},${RESTRICTED_USER},${RESTRICTED_USER}\n`,
    { mode: 0o600 },
  );
  return {
    caFile: f('ca.crt'),
    ca: await fs.readFile(f('ca.crt'), 'utf8'),
    certFile: f('apiserver.crt'),
    keyFile: f('apiserver.key'),
    saKey: f('sa.key'),
    saPub: f('sa.pub'),
    tokenFile: f('tokens.csv'),
    adminToken,
    restrictedToken,
  };
}
