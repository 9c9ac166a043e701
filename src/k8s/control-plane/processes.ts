/**
 * The OS side of the two child processes: free loopback ports for them, whether a PID still runs
 * them (/proc), ending a process group, and killing what is left when this Node process exits.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { sleep } from './http';
import type { ControlPlane } from './types';

/** Ports the kernel hands out on 127.0.0.1 right now (all held open together, so distinct). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((srv.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
  }
}

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True when /proc says pid runs `binary` (guards against a recycled PID). */
function pidRuns(pid: number, binary: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
  } catch {
    return false;
  }
}

/** TERM the process group, wait up to graceMs, then KILL it and wait again. */
export async function killGroup(pid: number, binary: string, graceMs = 10_000): Promise<void> {
  if (!pidAlive(pid) || !pidRuns(pid, binary)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  for (const [wait, next] of [
    [graceMs, 'SIGKILL'],
    [5000, null],
  ] as const) {
    const deadline = Date.now() + wait;
    while (pidAlive(pid) && Date.now() < deadline) await sleep(50);
    if (!pidAlive(pid)) return;
    if (next) signal(next);
  }
  throw new Error(`process ${pid} (${binary}) did not exit after SIGKILL`);
}

const live = new Set<ControlPlane>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cp of live) {
      for (const pid of cp.pids) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  });
}

/** Kills cp's process groups if this Node process exits before cp.stop() (not for persistent starts). */
export function killOnExit(cp: ControlPlane): void {
  live.add(cp);
  installExitHook();
}

/** cp was stopped: nothing left to kill on exit. */
export function forgetOnExit(cp: ControlPlane): void {
  live.delete(cp);
}
