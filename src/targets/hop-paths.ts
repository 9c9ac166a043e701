/**
 * A hop may reach the app under another path than users do: a real Theia serves at `/` and the in-pod nginx strips
 * the `/theia/` prefix users see. Checks only know a target and a hop; this gives them the target as that hop sees it.
 */
import type { Hop, Target } from './target';

/** The target with its app and Socket.IO paths as the hop serves them (unchanged when the hop declares none). */
export function targetAtHop(target: Target, hop: Hop): Target {
  const at = hop.appPath;
  if (!at || at === target.appPath) return target;
  const move = (p: string) => (p.startsWith(target.appPath) ? at + p.slice(target.appPath.length) : p);
  return { ...target, appPath: at, socketPath: move(target.socketPath) };
}
