/**
 * Progress, one line per step: `[3/6] backup     .cache/backups/….json (1 object)  42 ms`. Steps are numbered
 * so a user sees how far an interrupted run got; errors are one line on stderr, prefixed with the command.
 */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export class Progress {
  private n = 0;
  private t = Date.now();

  constructor(
    readonly command: string,
    private readonly total: number,
    readonly io: Output = consoleOutput,
  ) {}

  /** Starts timing the next step (the time shown is from here to its line). */
  begin(): void {
    this.t = Date.now();
  }

  /** Milliseconds since begin(). */
  elapsed(): number {
    return Date.now() - this.t;
  }

  step(name: string, detail: string): void {
    this.n++;
    this.io.out(`[${this.n}/${this.total}] ${name.padEnd(10)} ${detail}  (${this.elapsed()} ms)`);
    this.begin();
  }

  /** A line inside a step that is not a step of its own (a recovery, a warning, a rollback). */
  note(line: string): void {
    this.io.out(`       ${line}`);
  }

  warn(line: string): void {
    this.io.out(`warning: ${line}`);
  }

  error(line: string): void {
    this.io.err(`${this.command}: ${line}`);
  }
}
