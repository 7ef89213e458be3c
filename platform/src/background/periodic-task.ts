// Background work on a timer, one run at a time per process: a sweep that overlaps the previous
// one joins it instead of starting another, a failed run is logged and the next one retries, and
// stop() waits for the run in progress. Tests call run() to skip the wait.
import type { Logger } from '../logger';

export interface PeriodicTaskOptions {
  /** For the log when a run fails. */
  name: string;
  /** 0 or less: never on a timer (run() still works). */
  intervalMs: number;
  run: () => Promise<void>;
  logger: Logger;
}

export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly opts: PeriodicTaskOptions) {}

  start(): void {
    if (this.timer || this.opts.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.run(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** One run now; overlapping calls share it. */
  run(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.opts.run();
      } catch (err) {
        this.opts.logger.warn({ err, task: this.opts.name }, 'background task failed; the next run retries');
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
