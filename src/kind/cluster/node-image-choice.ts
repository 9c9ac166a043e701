/**
 * Which node image `kind create cluster` gets. SOCKETPROOF_KIND_NODE_IMAGE (or kind-up's --image) wins; otherwise
 * kindest/node:v1.34.0 when it is on the engine or can be pulled; otherwise — no registry, as on these machines —
 * the project's own socketproof/kind-node:v1.34.12, built (or found up to date) by node-image/build.ts, announced in
 * one line.
 */
import { type Docker, dockerRaw, imageExists, tail } from '../docker-engine/cli';
import { ensureNodeImage } from '../node-image/build';
import { requireNodeImage } from '../prerequisites';
import { DEFAULT_NODE_IMAGE } from '../settings';

export async function chooseNodeImage(d: Docker, say: (m: string) => void, env = process.env): Promise<string> {
  const chosen = env.SOCKETPROOF_KIND_NODE_IMAGE;
  if (chosen) {
    await requireNodeImage(d, chosen);
    return chosen;
  }
  if (await imageExists(d, DEFAULT_NODE_IMAGE)) return DEFAULT_NODE_IMAGE;
  const pull = await dockerRaw(d, ['pull', DEFAULT_NODE_IMAGE], { timeoutMs: 300_000 });
  if (pull.exitCode === 0) return DEFAULT_NODE_IMAGE;
  const short = DEFAULT_NODE_IMAGE.replace(/@sha256:.*/, '');
  const built = await ensureNodeImage(d, (m) => say(`  node image: ${m}`));
  say(
    `kind target: ${short} cannot be pulled (${tail(pull.stderr, 1)}); using ${built.image}, ${built.built ? 'built now' : 'built here before'} from Go modules and Debian packages (npm run kind:node-image; SOCKETPROOF_KIND_NODE_IMAGE chooses another)`,
  );
  return built.image;
}
