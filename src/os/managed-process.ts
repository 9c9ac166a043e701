/**
 * One helper for every child process (nginx, mock Theia, etcd, …): spawn in its own process group, wait until it is
 * ready with a deadline, keep the tail of its output for the report, and end the whole group by PID.
 * Every PID also goes to the registry (pid-registry.ts) so a globalTeardown can kill what a crashed worker left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { register, unregister } from './pid-registry';
import { signalGroup } from './process';

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
    signalGroup(pid, 'SIGKILL'); // the leader is gone; its group (nginx workers) may not be
    return;
  }
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
  signalGroup(pid, 'SIGKILL'); // anything of the group that outlived its leader
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
