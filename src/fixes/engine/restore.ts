/**
 * Restoring objects from a backup, exactly: the content (spec, labels, annotations: fields the fix added are
 * removed, values it changed are put back) AND the field ownership (managedFields), so a later server-side apply
 * by the manifests' owner meets the same owners as before the fix.
 *
 * Why two PUTs: a PUT carrying the old managedFields restores the content, but the server records every field
 * whose value the PUT changed as owned by the PUT's manager. A second PUT with the same content and the old
 * managedFields changes no value, so the server keeps the managedFields as sent: the old owners, exactly.
 * (A server-side apply of the old object cannot do this: giving up a field another manager took over deletes it
 * instead of restoring its old value.) Each PUT is conditional on the resourceVersion just read; a 409 from a
 * concurrent writer is retried with a fresh read.
 */
import { type ClusterConnection, getObject } from '../../k8s/client';
import { diffObjects, type FieldDiff, formatDiff } from '../../k8s/diff';
import { ClusterError } from '../../k8s/errors';
import { describeRef, type K8sObject, refOf, stripServerFields } from '../../k8s/objects';
import { createObject, type FixApi, putObject } from './fix-api';

export interface RestoreResult {
  object: string;
  /** What the restore changed back (live → backup), content only. */
  changed: FieldDiff[];
  ownershipRestored: boolean;
  recreated: boolean;
}

interface Ownership {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsV1?: unknown;
}

/** managedFields without timestamps, in a stable order: what "same owners" means. */
export function ownershipOf(obj: K8sObject): string {
  const entries = ((obj.metadata.managedFields as Ownership[] | undefined) ?? []).map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    subresource: m.subresource,
    fieldsV1: m.fieldsV1,
  }));
  return JSON.stringify(entries.sort((a, b) => `${a.manager}/${a.operation}`.localeCompare(`${b.manager}/${b.operation}`)));
}

/** Content differences that a restore must remove (server-managed fields ignored). */
export function contentDiff(live: K8sObject, saved: K8sObject): FieldDiff[] {
  return diffObjects(stripServerFields(live), stripServerFields(saved));
}

function withVersionOf(saved: K8sObject, live: K8sObject): K8sObject {
  const body = structuredClone(saved);
  body.metadata.resourceVersion = live.metadata.resourceVersion;
  return body;
}

/** Recreates a deleted object: its content and labels, not its identity (uid, resourceVersion are the server's). */
function forCreate(saved: K8sObject): K8sObject {
  const body = stripServerFields(saved);
  delete (body.metadata as Record<string, unknown>).managedFields;
  return body;
}

async function restoreOnce(api: FixApi, conn: ClusterConnection, saved: K8sObject): Promise<RestoreResult> {
  const object = describeRef(refOf(saved));
  const live = await getObject(conn, refOf(saved));
  if (!live) {
    await createObject(api, conn, forCreate(saved));
    return { object, changed: [{ path: '.', from: undefined, to: 'the object' }], ownershipRestored: false, recreated: true };
  }
  const changed = contentDiff(live, saved);
  let current = live;
  if (changed.length > 0) current = await putObject(api, conn, withVersionOf(saved, live));
  const ownershipRestored = ownershipOf(current) !== ownershipOf(saved);
  if (ownershipRestored) await putObject(api, conn, withVersionOf(saved, current));
  return { object, changed, ownershipRestored, recreated: false };
}

/** Restores one object, retrying a conflict with a concurrent writer (fresh read each time). */
export async function restoreObject(api: FixApi, conn: ClusterConnection, saved: K8sObject, attempts = 4): Promise<RestoreResult> {
  for (let i = 1; ; i++) {
    try {
      return await restoreOnce(api, conn, saved);
    } catch (e) {
      const conflict = e instanceof ClusterError && e.details.code === 409;
      if (!conflict || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}

/** After a restore: each object equals its backup apart from server-managed fields. Returns the differences. */
export async function verifyRestored(conn: ClusterConnection, objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const saved of objects) {
    const live = await getObject(conn, refOf(saved));
    const name = describeRef(refOf(saved));
    if (!live) problems.push(`${name} does not exist`);
    else problems.push(...contentDiff(live, saved).map((d) => `${name} ${formatDiff(d)}`));
  }
  return problems;
}
