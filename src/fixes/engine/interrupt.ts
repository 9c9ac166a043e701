/**
 * Ctrl-C and SIGTERM during an apply: the handler only records the signal and wakes any wait; the run stops at
 * the next step boundary (an API call in flight is allowed to finish, so the journal and the cluster never
 * disagree about whether a write happened), then rolls back. A second signal does not cut the rollback short.
 *
 * Test hook: SOCKETPROOF_PAUSE_AFTER=<step> makes the run print `paused after <step>` at that boundary and wait
 * for a signal (at most SOCKETPROOF_PAUSE_MS, default 60 s, then it carries on), so a test can interrupt at an
 * exact step without sleeping and hoping.
 */
import { Interrupted } from './outcome';
import type { Output } from './progress';

type Signal = 'SIGINT' | 'SIGTERM';

export class InterruptGate {
  signal?: Signal;
  /** True while restoring: a signal then is noted, not acted on. */
  restoring = false;
  private wakers = new Set<() => void>();
  private handlers: [Signal, () => void][] = [];

  constructor(private readonly io?: Output) {}

  /** Takes over SIGINT and SIGTERM (so Node does not exit at once) until uninstall(). */
  install(): this {
    for (const s of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => this.onSignal(s);
      process.on(s, handler);
      this.handlers.push([s, handler]);
    }
    return this;
  }

  uninstall(): void {
    for (const [s, h] of this.handlers) process.off(s, h);
    this.handlers = [];
  }

  onSignal(s: Signal): void {
    if (this.signal) {
      this.io?.out(`${s} again: ${this.restoring ? 'still restoring, the cluster must not be left half-restored' : 'already stopping'}`);
      return;
    }
    this.signal = s;
    this.io?.out(`${s} received: stopping at the next step boundary`);
    for (const wake of this.wakers) wake();
  }

  /** Throws Interrupted when a signal has arrived. */
  check(): void {
    if (this.signal) throw new Interrupted(this.signal);
  }

  /** Waits `ms`, or less when a signal arrives (then throws). */
  async sleep(ms: number): Promise<void> {
    this.check();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
    this.check();
  }

  /** A step boundary: stop here if interrupted; pause here if the test hook names this step. */
  async boundary(step: string): Promise<void> {
    this.check();
    if (process.env.SOCKETPROOF_PAUSE_AFTER !== step) return;
    this.io?.out(`paused after ${step}`);
    await this.sleep(Number(process.env.SOCKETPROOF_PAUSE_MS ?? 60_000));
  }
}
