/**
 * The RBAC a real cluster would have: the aggregated view/edit/admin ClusterRoles filled in, and
 * the restricted user bound to `view`.
 */
import { request, sleep } from './http';
import { RESTRICTED_USER } from './versions';

interface ClusterRole {
  metadata: { name: string; labels?: Record<string, string> };
  rules?: unknown[];
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] };
}

/**
 * What the clusterrole-aggregation controller does, once: sets the rules of each aggregated
 * ClusterRole (view, then edit, then admin: each aggregates the one before) to the union of the
 * rules of the ClusterRoles its selectors match.
 */
export async function aggregateClusterRoles(server: string, ca: string, token: string): Promise<void> {
  const base = `${server}/apis/rbac.authorization.k8s.io/v1/clusterroles`;
  const get = async (url: string) => {
    const r = await request(url, { ca, token });
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body);
  };
  for (const name of ['view', 'edit', 'admin']) {
    for (let attempt = 0; ; attempt++) {
      const role = (await get(`${base}/${name}`)) as ClusterRole;
      const rules = new Map<string, unknown>();
      for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
        const labelSelector = Object.entries(sel.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        const list = (await get(`${base}?labelSelector=${encodeURIComponent(labelSelector)}`)) as { items: ClusterRole[] };
        for (const item of list.items) {
          if (item.metadata.name === name) continue;
          for (const rule of item.rules ?? []) rules.set(JSON.stringify(rule), rule);
        }
      }
      const r = await request(`${base}/${name}`, { method: 'PUT', ca, token, body: { ...role, rules: [...rules.values()] } });
      if (r.status === 200) break;
      if (r.status !== 409 || attempt >= 5) throw new Error(`PUT ${base}/${name}: ${r.status} ${r.body.slice(0, 300)}`);
    }
  }
}

/**
 * Binds the restricted user to the `view` ClusterRole (an existing binding counts). Returns
 * undefined once bound, else what failed after 20 retries; request errors are thrown.
 */
export async function bindRestrictedUserToView(server: string, ca: string, token: string): Promise<string | undefined> {
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${RESTRICTED_USER}-view`, labels: { 'app.kubernetes.io/managed-by': 'socketproof' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
  };
  for (let attempt = 0; ; attempt++) {
    const r = await request(`${server}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`, {
      method: 'POST',
      ca,
      token,
      body: binding,
    });
    if (r.status === 201 || r.status === 409) return undefined;
    if (attempt >= 20) return `creating ClusterRoleBinding ${binding.metadata.name}: ${r.status} ${r.body}`;
    await sleep(250);
  }
}
