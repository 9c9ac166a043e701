/**
 * The PID registry: `.cache/pids/<ownerPid>-<ownerStart>` holds `<pid> <start> <name>` lines, one per live child the
 * owner spawned. Start times tell a reused PID from ours, so the safety net never kills a stranger; "alive" (not a
 * zombie) tells a process that runs from one that has ended and waits to be reaped, so none is reported as left over.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PATHS } from '../paths';
import { pidAlive, signalGroup, startTime } from './process';

const REGISTRY = process.env.SOCKETPROOF_PID_DIR ?? PATHS.pidRegistry;
const live = new Map<number, string>();
const ownFile = () => join(REGISTRY, `${process.pid}-${startTime(process.pid)}`);

export function register(pid: number, name: string): void {
  live.set(pid, `${pid} ${startTime(pid)} ${name.replace(/\s/g, '_')}`);
  if (live.size === 1) process.on('exit', killLiveSync);
  mkdirSync(REGISTRY, { recursive: true });
  appendFileSync(ownFile(), `${live.get(pid)}\n`);
}

export function unregister(pid: number): void {
  live.delete(pid);
  if (live.size > 0) {
    writeFileSync(ownFile(), [...live.values()].map((l) => `${l}\n`).join(''));
  } else {
    process.off('exit', killLiveSync);
    rmSync(ownFile(), { force: true });
  }
}

/** A worker that exits without its fixtures' teardown still takes its children along. */
function killLiveSync(): void {
  for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
}

/**
 * Safety net for a Playwright globalTeardown: kills every registered process whose owner (the Node process that
 * spawned it) is gone — a crashed or killed worker. Live owners (another engineer's run) are left alone.
 * Returns the names of what it killed.
 */
export function killRegistered(): string[] {
  const killed: string[] = [];
  const files = (() => {
    try {
      return readdirSync(REGISTRY);
    } catch {
      return [];
    }
  })();
  for (const file of files) {
    const [owner, ownerStart] = file.split('-');
    // A live run (this one's workers, a colleague's). A killed owner not yet reaped is a zombie: its run is over.
    if (owner && startTime(Number(owner)) === ownerStart && pidAlive(Number(owner))) continue;
    for (const line of readFileSync(join(REGISTRY, file), 'utf8').split('\n')) {
      const [pid, start, name] = line.split(' ');
      // Gone, ended and waiting to be reaped, or the PID now belongs to someone else: nothing to end, nothing to report.
      if (!pid || startTime(Number(pid)) !== start || !pidAlive(Number(pid))) continue;
      signalGroup(Number(pid), 'SIGKILL');
      killed.push(`${name} (pid ${pid})`);
    }
    rmSync(join(REGISTRY, file), { force: true });
  }
  return killed;
}
