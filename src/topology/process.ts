/**
 * One helper for every child process (nginx, mock Theia, etcd, …): spawn in its own process group, wait until it is
 * ready with a deadline, keep the tail of its output for the report, and end the whole group by PID.
 * Every PID also goes to a registry file so a Playwright globalTeardown can kill what a crashed worker left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Readiness = { line: RegExp } | { port: number; host?: string };

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  ready: Readiness;
  deadlineMs: number;
}

export interface ManagedProcess {
  pid: number;
  name: string;
  /** The `line` readiness match (e.g. to read the port a server printed), else null. */
  readyMatch: RegExpExecArray | null;
  /** The last 64 KiB of stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** SIGTERM to the group, SIGKILL after 2 s, resolves once the process exited. Idempotent. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;
const KILL_AFTER_MS = 2000;

export async function spawnManaged(opts: SpawnOptions): Promise<ManagedProcess> {
  // detached: its own process group, so stop() also reaches grandchildren (nginx workers, npx → node).
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > OUTPUT_LIMIT) out = out.slice(out.length - OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<string>((resolve) => {
    child.on('error', (err) => resolve(`failed to spawn: ${err.message}`));
    child.on('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`})`));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${opts.name}: ${await exited}`);
  register(pid, opts.name);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate(child, pid, exited).finally(() => unregister(pid));
    return stopping;
  };
  const output = () => out;

  const timeout = new Promise<string>((resolve) => {
    const t = setTimeout(() => resolve(`not ready after ${opts.deadlineMs} ms`), opts.deadlineMs);
    t.unref();
  });
  let readyMatch: RegExpExecArray | null = null;
  const ready =
    'line' in opts.ready
      ? waitForLine(child, opts.ready.line).then((m) => {
          readyMatch = m;
          return null;
        })
      : waitForPort(opts.ready.port, opts.ready.host ?? '127.0.0.1', exited);
  const problem = await Promise.race([ready, exited, timeout]);
  if (problem !== null) {
    await stop();
    throw new Error(`${opts.name} (pid ${pid}) ${problem}: ${lastLines(out)}`);
  }
  return { pid, name: opts.name, readyMatch, output, stop };
}

async function terminate(child: ChildProcess, pid: number, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(pid, 'SIGKILL'); // the leader is gone; its group (nginx workers) may not be
    return;
  }
  killGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
  killGroup(pid, 'SIGKILL'); // anything of the group that outlived its leader
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Resolves with the first output line (stdout or stderr) matching `re`. */
function waitForLine(child: ChildProcess, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve) => {
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = re.exec(line);
        if (m) {
          child.stdout?.off('data', onData);
          child.stderr?.off('data', onData);
          resolve(m);
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

/** Resolves null once `host:port` accepts a TCP connection; gives up when the process has exited. */
async function waitForPort(port: number, host: string, exited: Promise<string>): Promise<null> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!gone) {
    if (await accepts(port, host)) return null;
    await new Promise((r) => setTimeout(r, 10));
  }
  return new Promise<null>(() => {}); // the race reports the exit
}

export function accepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The last few output lines on one line, for one-line error messages. */
export function lastLines(text: string, n = 5): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-n).join(' | ') || '(no output)';
}

// ---- PID registry: `.cache/pids/<ownerPid>-<ownerStart>` holds `<pid> <start> <name>` lines, one per live child.
// Start times (from /proc) tell a reused PID from ours, so the safety net never kills a stranger.
const REGISTRY = process.env.SOCKETPROOF_PID_DIR ?? fileURLToPath(new URL('../../.cache/pids', import.meta.url));
const live = new Map<number, string>();
const ownFile = () => join(REGISTRY, `${process.pid}-${startTime(process.pid)}`);

/** A process's start time (clock ticks since boot, from /proc): with the PID, it tells our process from a reused PID. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]; // field 22 counted after "pid (comm)"
  } catch {
    return undefined;
  }
}

function register(pid: number, name: string): void {
  live.set(pid, `${pid} ${startTime(pid)} ${name.replace(/\s/g, '_')}`);
  if (live.size === 1) process.on('exit', killLiveSync);
  mkdirSync(REGISTRY, { recursive: true });
  appendFileSync(ownFile(), `${live.get(pid)}\n`);
}

function unregister(pid: number): void {
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
  for (const pid of live.keys()) killGroup(pid, 'SIGKILL');
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
    if (owner && startTime(Number(owner)) === ownerStart) continue; // a live run (this one's workers, a colleague's)
    for (const line of readFileSync(join(REGISTRY, file), 'utf8').split('\n')) {
      const [pid, start, name] = line.split(' ');
      if (!pid || startTime(Number(pid)) !== start) continue; // gone, or the PID now belongs to someone else
      killGroup(Number(pid), 'SIGKILL');
      killed.push(`${name} (pid ${pid})`);
    }
    rmSync(join(REGISTRY, file), { force: true });
  }
  return killed;
}
