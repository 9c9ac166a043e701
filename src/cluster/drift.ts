/**
 * Drift: do the live objects still say what the repo's desired manifests say? Each desired object is applied as
 * a server-side apply DRY RUN (with the manifests' field manager, forced): the server returns what the object
 * would become, defaults and all, and any field that differs from the live object is drift. Only a live source
 * can answer this; the registry marks the check live-only. A user who may not patch (a read-only production
 * kubeconfig) cannot dry-run either: then the fields the manifests set are compared with the live ones.
 */
import { stringify } from 'yaml';
import { textEvidence, VerdictBuilder } from '../checks/evidence';
import { MANIFEST_FIELD_MANAGER } from '../k8s/apply';
import { type ClusterConnection, canI, getObject, serverSideApply } from '../k8s/client';
import { diffObjects, formatDiff, missingFields } from '../k8s/diff';
import { ClusterError } from '../k8s/errors';
import { loadManifestSet } from '../k8s/manifests';
import { describeRef, type K8sObject, refOf, stripServerFields } from '../k8s/objects';
import type { Verdict } from '../verdict';
import { type ClusterCheckContext, clusterHop } from './context';

function dryRun(conn: ClusterConnection, obj: K8sObject): Promise<K8sObject> {
  return serverSideApply(conn, obj, { fieldManager: MANIFEST_FIELD_MANAGER, dryRun: true, force: true });
}

export async function driftCheck(ctx: ClusterCheckContext): Promise<Verdict> {
  const { desired, namespace } = ctx.expect;
  const v = new VerdictBuilder(
    'drift',
    clusterHop,
    `the live objects equal the "${desired}" manifests (kind/manifests/${desired}/), as a server-side apply dry run computes them`,
  );
  const conn = ctx.source.conn;
  if (ctx.source.kind !== 'live' || !conn) throw new Error('the drift check needs a live source (an API server to dry-run against)');
  // A read-only user (production) may not patch, so not dry-run either: compare the fields the manifests set.
  const readOnly = !(await canI(conn, 'patch', 'services', namespace));
  const findings: string[] = [];
  const report: string[] = [];
  for (const obj of loadManifestSet(desired, { namespace })) {
    const name = describeRef(refOf(obj));
    try {
      const live = await getObject(conn, refOf(obj));
      if (!live) {
        findings.push(`${name} is missing`);
        continue;
      }
      const diffs = readOnly
        ? missingFields(obj, stripServerFields(live))
        : diffObjects(stripServerFields(live), stripServerFields(await dryRun(conn, obj)));
      if (diffs.length > 0) {
        findings.push(`${name}: ${diffs.slice(0, 4).map(formatDiff).join(', ')}${diffs.length > 4 ? ` (+${diffs.length - 4} more)` : ''}`);
        report.push(`## ${name} (live → desired)\n${diffs.map(formatDiff).join('\n')}\n\n# live\n${stringify(stripServerFields(live))}`);
      }
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      findings.push(`${name}: ${e.message}`);
    }
  }
  if (report.length > 0) v.attach(textEvidence('drift (live → desired)', report.join('\n\n')));
  if (findings.length > 0) return v.fail('manifest-drift', `${findings.length} object(s) differ from "${desired}": ${findings.join('; ')}`);
  const how = readOnly ? 'the fields the manifests set (read-only user: no dry run)' : 'a server-side apply dry run';
  return v.pass(`every object of "${desired}" matches the live state, compared by ${how} (${ctx.source.describe})`);
}
