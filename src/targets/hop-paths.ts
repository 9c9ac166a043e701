/**
 * A hop may reach the app under another path than users do: a real Theia serves at `/` and the in-pod nginx strips
 * the `/theia/` prefix users see. Checks only know a target and a hop; this gives them the target as that hop sees it.
 */
import type { Hop, Target } from './target';

/** The target with its app and Socket.IO paths as the hop serves them (unchanged when the hop declares none). */
export function targetAtHop(target: Target, hop: Hop): Target {
  const at = hop.appPath ?? target.appPath;
  if (at === target.appPath && !hop.socketPath) return target;
  // Without a socket path of its own, the hop's Socket.IO path moves with its app path (the same prefix stripped).
  const move = (p: string) => (p.startsWith(target.appPath) ? at + p.slice(target.appPath.length) : p);
  return { ...target, appPath: at, socketPath: hop.socketPath ?? move(target.socketPath) };
}
