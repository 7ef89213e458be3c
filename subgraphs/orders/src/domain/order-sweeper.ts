// Background upkeep of orders, every ORDER_SWEEP_MS: unpaid orders past their window expire
// (stock and coupons back), checkouts a crashed process left half-done are compensated, pending
// payments are asked about (non-final provider results are polled), idle guest carts go.
// Each step is safe to run on several replicas at once (guarded transitions, conditional updates).
import type { Logger } from '@grocery/platform';
import type { CartService } from './cart-service';
import type { CheckoutService } from './checkout-service';
import type { OrderService } from './order-service';
import type { PaymentService } from './payment-service';

export class OrderSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly parts: {
      orders: OrderService;
      checkout: CheckoutService;
      payments: PaymentService;
      carts: CartService;
    },
    private readonly opts: { intervalMs: number; abandonAfterMs: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(now = new Date()): Promise<void> {
    const step = async (name: string, fn: () => Promise<number>) => {
      try {
        const n = await fn();
        if (n > 0) this.logger.info({ step: name, n }, 'order sweep');
      } catch (err) {
        this.logger.warn({ err, step: name }, 'order sweep step failed');
      }
    };
    await step('expired', () => this.parts.orders.expireOverdue(now));
    await step('abandoned-checkouts', () =>
      this.parts.checkout.sweepAbandoned(new Date(now.getTime() - this.opts.abandonAfterMs)),
    );
    await step('pending-payments', () => this.parts.payments.pollPending(new Date(now.getTime() - 30_000)));
    await step('idle-carts', () => this.parts.carts.sweepIdle(now));
  }
}
