/** The two kubeconfigs of a run: the admin user's and the restricted (view-only) user's, token auth. */
import fs from 'node:fs/promises';
import { stringify as toYaml } from 'yaml';
import type { Credentials } from './credentials';
import { ADMIN_CONTEXT, ADMIN_USER, RESTRICTED_CONTEXT, RESTRICTED_USER } from './versions';

function kubeconfig(server: string, ca: string, context: string, user: string, token: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'socketproof-local', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: 'socketproof-local', user, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes both kubeconfigs (mode 0600: they hold the tokens). */
export async function writeKubeconfigs(
  files: { adminKubeconfig: string; restrictedKubeconfig: string },
  server: string,
  creds: Credentials,
): Promise<void> {
  await fs.writeFile(files.adminKubeconfig, kubeconfig(server, creds.ca, ADMIN_CONTEXT, ADMIN_USER, creds.adminToken), {
    mode: 0o600,
  });
  await fs.writeFile(
    files.restrictedKubeconfig,
    kubeconfig(server, creds.ca, RESTRICTED_CONTEXT, RESTRICTED_USER, creds.restrictedToken),
    { mode: 0o600 },
  );
}
