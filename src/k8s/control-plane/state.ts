/** The control planes recorded in .cache/control-plane/run/<id>/state.json: list them, stop one, delete a run dir. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { controlPlanePaths } from './binaries';
import { killGroup } from './processes';
import type { ControlPlaneState } from './types';

/** Ends the processes recorded in a state.json and deletes its data dir (used by the CLI's stop). */
export async function stopControlPlaneState(state: ControlPlaneState, root?: string): Promise<void> {
  // apiserver first, so it does not log etcd connection errors while going down
  for (const p of [...state.processes].reverse()) await killGroup(p.pid, p.binary);
  await removeRunDir(state.dir, root);
}

/** Deletes a run dir, refusing anything outside .cache/control-plane/run/. */
export async function removeRunDir(dir: string, root?: string): Promise<void> {
  const run = controlPlanePaths(root).run;
  const rel = path.relative(run, path.resolve(dir));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`refusing to delete ${dir}: not under ${run}`);
  }
  await fs.rm(dir, { recursive: true, force: true });
}

/** The state.json of every run dir (running or not). */
export async function listControlPlanes(root?: string): Promise<ControlPlaneState[]> {
  const run = controlPlanePaths(root).run;
  const out: ControlPlaneState[] = [];
  let entries: string[] = [];
  try {
    entries = await fs.readdir(run);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    try {
      out.push(JSON.parse(await fs.readFile(path.join(run, e, 'state.json'), 'utf8')) as ControlPlaneState);
    } catch {
      /* not a finished start */
    }
  }
  return out;
}
