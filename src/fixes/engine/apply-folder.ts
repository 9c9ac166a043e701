/**
 * `npm run manifests:apply -- <folder>`: server-side apply of a folder of manifests to the current context (or
 * --kubeconfig/--context), for users who bring their own local cluster. The same discipline as apply-fix: every
 * check that can refuse runs read-only before the first write, and a refusal is one line, exit 2, nothing changed:
 * the folder parses; the context is not one a production target names (unless --allow-production and
 * --confirm-context); every kind is served or defined by a CRD in the folder; every namespace exists or is in the
 * folder; the user may create/patch each resource (SelfSubjectAccessReview); a server-side dry run of every object
 * that can be dry-run now (field-manager conflicts, schema errors). Then CRDs, Namespaces and the rest in order.
 */
import { type ClusterConnection, canI, describeConnection, getObject, serverSideApply } from '../../k8s/client';
import { ClusterError } from '../../k8s/errors';
import { applyObjects, MANIFEST_FIELD_MANAGER } from '../../k8s/apply';
import { loadManifestFolder } from '../../k8s/manifest-folder';
import { applyOrder, describeRef, groupOf, isClusterScoped, type K8sObject, refOf } from '../../k8s/objects';
import { FixApi } from './fix-api';
import { ExitCode, oneLine, Refused } from './outcome';
import { consoleOutput, type Output, Progress } from './progress';
import { asRefused, guardProduction, openConnection, type ProductionFlags } from './session';
import { listTargets, loadTarget } from '../../targets/load';

export interface ApplyFolderOptions extends ProductionFlags {
  folder: string;
  kubeconfig?: string;
  context?: string;
  dryRun: boolean;
  forceConflicts: boolean;
}

/** The production target whose context this connection reaches, if any: writing there needs confirmation. */
function productionTargetOf(conn: ClusterConnection): string | undefined {
  return listTargets().find((name) => {
    const c = loadTarget(name).cluster;
    return c?.production && c.context === conn.context;
  });
}

interface CrdKind {
  key: string;
  plural: string;
}

function crdKinds(objects: K8sObject[]): CrdKind[] {
  return objects
    .filter((o) => o.kind === 'CustomResourceDefinition')
    .map((o) => {
      const spec = o.spec as { group: string; names: { kind: string; plural: string } };
      return { key: `${spec.group}/${spec.names.kind}`, plural: `${spec.names.plural}.${spec.group}` };
    });
}

async function preflight(conn: ClusterConnection, objects: K8sObject[], fieldManager: string, force: boolean): Promise<string> {
  const api = FixApi.forConnection(conn);
  const defined = crdKinds(objects);
  const resources = new Map<K8sObject, { resource: string; served: boolean }>();
  for (const o of objects) {
    const fromCrd = defined.find((d) => d.key === `${groupOf(o.apiVersion)}/${o.kind}`);
    const served = await api.resourceName(o.apiVersion, o.kind).catch((e) => {
      if (e instanceof Error && /404/.test(e.message)) return undefined;
      throw e;
    });
    if (!served && !fromCrd) {
      const plural = `${o.kind.toLowerCase()}s.${groupOf(o.apiVersion)}`;
      throw new Refused(`the API server ${conn.server} does not serve ${o.kind} (${o.apiVersion}) and the folder has no CRD for it (${plural})`);
    }
    resources.set(o, { resource: served ?? (fromCrd as CrdKind).plural, served: Boolean(served) });
  }
  const inFolder = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const namespaces = [...new Set(objects.flatMap((o) => (isClusterScoped(o.kind) ? [] : [o.metadata.namespace ?? 'default'])))];
  const existing = new Set<string>();
  for (const ns of namespaces) {
    if (await getObject(conn, { apiVersion: 'v1', kind: 'Namespace', name: ns })) existing.add(ns);
    else if (!inFolder.has(ns)) throw new Refused(`namespace "${ns}" does not exist on ${conn.server} and is not in the folder`);
  }
  for (const o of objects) {
    const { resource } = resources.get(o) as { resource: string };
    const ns = isClusterScoped(o.kind) ? undefined : (o.metadata.namespace ?? 'default');
    const exists = resources.get(o)?.served && (!ns || existing.has(ns)) ? await getObject(conn, refOf(o)) : undefined;
    const verb = exists ? 'patch' : 'create';
    if (!(await canI(conn, verb, resource, ns))) {
      throw new Refused(`user "${conn.user}" may not ${verb} ${resource}${ns ? ` in namespace ${ns}` : ''} (SelfSubjectAccessReview, context "${conn.context}"): nothing was changed`);
    }
  }
  // A dry run needs the kind served and the namespace present: objects waiting for a CRD or a Namespace of the
  // folder are checked by the server when they are applied, right after what they wait for.
  let dry = 0;
  for (const o of applyOrder(objects)) {
    const ns = isClusterScoped(o.kind) ? undefined : (o.metadata.namespace ?? 'default');
    if (!resources.get(o)?.served || (ns && !existing.has(ns))) continue;
    try {
      await serverSideApply(conn, o, { fieldManager, dryRun: true, force });
      dry++;
    } catch (e) {
      if (e instanceof ClusterError && e.details.reason === 'Conflict') {
        const owners = (e.details.conflicts ?? []).map((c) => `field manager "${c.manager}" owns ${c.field}`).join('; ');
        throw new Refused(`conflict on ${describeRef(refOf(o))}: ${owners} with another value; re-run with --force-conflicts to take the field(s) over`);
      }
      throw e;
    }
  }
  return `kinds, namespaces and create/patch permission ok for ${objects.length} object(s); server-side dry run ok for ${dry}`;
}

export async function runApplyFolder(opts: ApplyFolderOptions, io: Output = consoleOutput): Promise<number> {
  const p = new Progress('manifests:apply', opts.dryRun ? 3 : 4, io);
  try {
    const folder = (() => {
      try {
        return loadManifestFolder(opts.folder);
      } catch (e) {
        throw asRefused(e);
      }
    })();
    p.step('folder', `${folder.dir}: ${folder.objects.length} object(s): ${folder.objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}`);
    const conn = await openConnection(opts.kubeconfig, opts.context);
    const production = productionTargetOf(conn);
    if (!opts.dryRun && production) guardProduction(true, production, conn, opts);
    p.step('connect', describeConnection(conn));
    const checked = await preflight(conn, folder.objects, MANIFEST_FIELD_MANAGER, opts.forceConflicts).catch((e) => Promise.reject(asRefused(e)));
    p.step('preflight', checked);
    if (opts.dryRun) {
      io.out('dry run: nothing was changed');
      return ExitCode.ok;
    }
    const applied = await applyObjects(conn, folder.objects, { fieldManager: MANIFEST_FIELD_MANAGER, force: opts.forceConflicts });
    p.step('apply', `${applied.length} object(s) applied (field manager ${MANIFEST_FIELD_MANAGER})`);
    io.out(`done: ${folder.name} applied to context "${conn.context}"`);
    return ExitCode.ok;
  } catch (e) {
    const err = asRefused(e);
    p.error(oneLine(err));
    return err instanceof Refused ? ExitCode.refused : ExitCode.failed;
  }
}
