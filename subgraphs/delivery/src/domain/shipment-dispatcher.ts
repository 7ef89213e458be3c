// Books ready shipments with a courier and retries those no courier took, on a timer per replica
// (a claimed shipment's next attempt moves ahead in the claiming statement, so replicas do not
// book the same one at once — and booking is idempotent per shipment id at every courier anyway).
import type { Logger } from '@grocery/platform';
import type { ShipmentService } from './shipment-service';

export class ShipmentDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly shipments: ShipmentService,
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
        for (let n = 20; n === 20;) n = await this.shipments.dispatchDue(20);
      } catch (err) {
        this.logger.warn({ err }, 'shipment dispatch sweep failed; the next one retries');
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
