/**
 * Runs scripts/apply-fix.ts and scripts/rollback.ts the way a user does: a separate process with its command
 * line, its exit code, its stdout and stderr. `node --import tsx` rather than `npx tsx`: one process, so a signal
 * a test sends reaches the script itself and not a launcher in between (fix-story uses `npx tsx` as written).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { projectRoot } from '../../src/paths';

export type Script = 'apply-fix' | 'rollback';

export interface CliResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export class CliRun {
  readonly child: ChildProcess;
  readonly command: string;
  stdout = '';
  stderr = '';
  private readonly t0 = Date.now();
  private readonly finished: Promise<CliResult>;
  private onOutput = () => {};

  constructor(script: Script, args: string[], env: Record<string, string> = {}, launcher: 'node' | 'npx' = 'node') {
    const [cmd, pre] = launcher === 'npx' ? ['npx', ['tsx']] : [process.execPath, ['--import', 'tsx']];
    const argv = [...pre, `scripts/${script}.ts`, ...args];
    this.command = `${launcher === 'npx' ? 'npx' : 'node'} ${argv.join(' ')}`;
    const base = { ...process.env };
    delete base.SOCKETPROOF_PAUSE_AFTER;
    this.child = spawn(cmd, argv, { cwd: projectRoot, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      this.onOutput();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.finished = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.onOutput();
        resolve({ command: this.command, code, signal, stdout: this.stdout, stderr: this.stderr, ms: Date.now() - this.t0 });
      });
    });
  }

  /** Resolves when stdout matches; rejects (with the output so far) when the process ends first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} from ${this.command}:\n${this.stdout}${this.stderr}`)), timeoutMs);
      this.onOutput = () => {
        if (pattern.test(this.stdout)) {
          clearTimeout(timer);
          resolve();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          clearTimeout(timer);
          reject(new Error(`${this.command} ended before ${pattern}:\n${this.stdout}${this.stderr}`));
        }
      };
      this.onOutput();
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  done(): Promise<CliResult> {
    return this.finished;
  }
}

/** The one line a refused run writes to stderr (asserting there is exactly one). */
export function errorLine(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected exactly one error line from ${r.command}, got ${lines.length}:\n${r.stderr}`);
  return lines[0] as string;
}

/** The backup file a successful or interrupted apply printed (`[4/6] backup <file> …`). */
export function backupOf(r: Pick<CliResult, 'stdout'>): string {
  const m = /\] backup\s+(\S+\.json)/.exec(r.stdout);
  if (!m?.[1]) throw new Error(`no backup line in:\n${r.stdout}`);
  return m[1];
}

/** The rollback command apply-fix printed, as argv after `npx tsx scripts/rollback.ts`. */
export function printedRollbackArgs(r: CliResult): string[] {
  const m = /to undo: npx tsx scripts\/rollback\.ts (.+)$/m.exec(r.stdout);
  if (!m?.[1]) throw new Error(`no rollback command in:\n${r.stdout}`);
  return m[1].trim().split(/\s+/);
}

export function summary(r: CliResult): string {
  return `$ ${r.command}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}[exit ${r.code ?? r.signal} after ${r.ms} ms]\n`;
}
