/**
 * Where cluster checks read objects from: a live API server, or the manifest files when none runs. The checks
 * see one interface and cannot tell the difference, except drift, which needs a server to dry-run against and
 * says so (`kind`).
 */
import { type ClusterConnection, describeConnection, getObject } from './client';
import { loadManifestSet } from './manifests';
import { type K8sObject, type ObjectRef, sameObject, refOf } from './objects';

export interface ObjectSource {
  kind: 'live' | 'files';
  /** For verdicts and reports: `context "x" (user "y") at https://…` or `manifest set healthy (kind/manifests/healthy/)`. */
  describe: string;
  /** The object, or undefined when it does not exist. A live source throws ClusterError when it cannot read. */
  get(ref: ObjectRef): Promise<K8sObject | undefined>;
  /** The connection behind a live source. */
  conn?: ClusterConnection;
}

export function liveSource(conn: ClusterConnection): ObjectSource {
  return { kind: 'live', describe: describeConnection(conn), get: (ref) => getObject(conn, ref), conn };
}

/** Objects held in memory (parsed files, or files with a patch or a fix merged in locally). */
export function objectsSource(objects: K8sObject[], describe: string): ObjectSource {
  const copies = objects.map((o) => structuredClone(o));
  return {
    kind: 'files',
    describe,
    get: async (ref) => {
      const found = copies.find((o) => sameObject(refOf(o), ref));
      return found ? structuredClone(found) : undefined;
    },
  };
}

/** A manifest set from kind/manifests/<set>/, optionally moved to another namespace. */
export function manifestSource(set: string, opts: { namespace?: string } = {}): ObjectSource {
  const where = opts.namespace ? ` in namespace ${opts.namespace}` : '';
  return objectsSource(loadManifestSet(set, opts), `manifest set ${set} (kind/manifests/${set}/)${where}`);
}
