// Expired holds give their capacity back even when nobody lists the slot: a timer per replica
// (concurrent sweeps skip each other's rows: FOR UPDATE SKIP LOCKED).
import type { Logger } from '@grocery/platform';
import type { SlotService } from './slot-service';

export class HoldSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly slots: SlotService,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep (tests call it to skip the wait); overlapping calls share one run. */
  sweep(): Promise<void> {
    this.running ??= (async () => {
      try {
        for (let n = 500; n === 500;) n = await this.slots.expireHolds(500);
      } catch (err) {
        this.logger.warn({ err }, 'slot hold sweep failed; the next one retries');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
