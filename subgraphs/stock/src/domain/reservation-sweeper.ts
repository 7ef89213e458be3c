// Background expiry of abandoned checkouts: every few seconds, overdue reservations give
// their units back. Safe on every replica at once (the repository skips locked rows). The same
// timer runs the write-off of expired lots (its own interval and log lines).
import type { Logger } from '@grocery/platform';

/** A quarter of the TTL, so a hold outlives its expiry by at most that (bounded to 0.25..15 s). */
export function sweepIntervalMs(reservationTtlSeconds: number): number {
  return Math.min(15_000, Math.max(250, (reservationTtlSeconds * 1000) / 4));
}

export class ReservationSweeper {
  private timer?: NodeJS.Timeout;
  private sweep?: Promise<void>;
  private running = false;

  constructor(
    private readonly expireDue: () => Promise<number>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly messages = {
      done: 'expired overdue stock reservations',
      failed: 'reservation sweep failed; will retry at the next interval',
    },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops and waits for a sweep in progress, so the database can be closed after this. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.sweep;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.sweep = this.runOnce().finally(() => {
        this.sweep = undefined;
        if (this.running) this.schedule();
      });
    }, this.intervalMs);
    // Never the reason a process stays alive.
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    try {
      const expired = await this.expireDue();
      if (expired > 0) this.logger.info({ count: expired }, this.messages.done);
    } catch (err) {
      this.logger.warn({ err }, this.messages.failed);
    }
  }
}
