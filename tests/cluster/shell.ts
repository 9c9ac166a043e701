/**
 * Commands as a reader types them: `bash -c` in the project root, in a process group of its own (so Ctrl-C can be
 * sent to the whole group, as a terminal does), output kept. Reports go to a private folder: a nested Playwright
 * run (smoke) must not overwrite the enclosing run's reports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshRunEnv } from '../../src/runner-env';
import { projectRoot } from '../../src/paths';

export function readerEnv(): NodeJS.ProcessEnv {
  const reports = mkdtempSync(path.join(tmpdir(), 'socketproof-readme-'));
  // What a fresh shell would not have: the suite's own choices, and a KUBECONFIG or playground URL of the run.
  return freshRunEnv({ SOCKETPROOF_REPORTS_DIR: reports }, ['KUBECONFIG', 'SOCKETPROOF_PLAYGROUND_URL', 'SOCKETPROOF_TARGET', 'INIT_CWD']);
}

export class Shell {
  readonly child: ChildProcess;
  output = '';
  readonly t0 = Date.now();
  private readonly exited: Promise<number | null>;

  constructor(
    readonly command: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn('bash', ['-c', command], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const add = (d: Buffer) => {
      this.output += d.toString();
    };
    this.child.stdout?.on('data', add);
    this.child.stderr?.on('data', add);
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ctrl-C: SIGINT to the whole process group (npm, tsx, node), as a terminal sends it. */
  interrupt(signal: NodeJS.Signals = 'SIGINT'): void {
    if (this.child.pid && this.running) {
      try {
        process.kill(-this.child.pid, signal);
      } catch {
        // gone
      }
    }
  }

  /** Resolves once `ready(output)` holds; rejects when the command ends first or the deadline passes. */
  async waitFor(ready: (output: string) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready(this.output)) {
      if (!this.running) throw new Error(`\`${this.command}\` ended before it was ready:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`\`${this.command}\` not ready after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async done(timeoutMs = 300_000): Promise<number | null> {
    const timer = setTimeout(() => this.interrupt('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

export async function run(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; ms: number }> {
  const sh = new Shell(command, env);
  const code = await sh.done();
  return { code, output: sh.output, ms: Date.now() - sh.t0 };
}
