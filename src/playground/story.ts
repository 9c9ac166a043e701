/**
 * The fix story's staging of the broken set, shared by tests/cluster/fix-story.spec.ts and the playground's
 * `broken`: kind/manifests/broken with Cloud CDN switched off. With the CDN on, a cached page hands clients another
 * pod's connection cookie and the handshake is diagnosed `cdn-caching`, masking the classic 400 (no affinity) and
 * the 30 s cut: the story is about those two fixes. The CDN fault has its own fix (cdn-off) and specs.
 */
import type { ObjectPatch } from '../k8s/objects';

export const cdnOffStaging: ObjectPatch = { kind: 'BackendConfig', name: 'theia-backendconfig', merge: { spec: { cdn: { enabled: false } } } };

/** What the playground stages for a set: the story's staging for `broken`, the set as it is otherwise. */
export function playgroundStaging(set: string | undefined): { patches: ObjectPatch[]; note?: string } {
  if (set !== 'broken') return { patches: [] };
  return {
    patches: [cdnOffStaging],
    note: 'Cloud CDN switched off, as in the fix story (with it on, cdn-caching masks the missing affinity)',
  };
}
