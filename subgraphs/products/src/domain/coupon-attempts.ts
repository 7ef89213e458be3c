// Coupon codes cannot be guessed: each client (`user:<id>` or `ip:<address>`, as the gateway
// saw it) may have only so many codes refused per sliding window, counted across replicas. The
// codes of a request are counted as refused before they are read (so concurrent requests cannot
// all slip under the limit) and the ones that applied are given back afterwards.
import { AppError, ErrorCode, type SlidingWindow } from '@grocery/platform';

export interface CouponAttempt {
  /** After pricing: the codes that took something off do not count. */
  settle(applied: number): Promise<void>;
  /** Pricing failed before the codes were judged: none of them count. */
  cancel(): Promise<void>;
}

const NOTHING: CouponAttempt = { settle: async () => {}, cancel: async () => {} };

export class CouponAttempts {
  constructor(private readonly window: SlidingWindow) {}

  /** Refuses with RATE_LIMITED (unread) when `codes` more would pass the client's budget. */
  async begin(clientKey: string | undefined, codes: number): Promise<CouponAttempt> {
    if (codes === 0) return NOTHING;
    const key = clientKey ?? 'unknown';
    const take = await this.window.take(key, codes);
    if (!take.taken) {
      const retryAfterSeconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
      const minutes = Math.round(this.window.windowMs / 60_000);
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many coupon codes refused: at most ${this.window.max} per ${minutes} minutes. Try again in ${retryAfterSeconds} s.`,
        { field: 'couponCodes', limit: 'rejectedCouponCodes', max: this.window.max, retryAfterSeconds },
      );
    }
    // Given back: all of them if pricing never judged them, else the ones that applied.
    const giveBack = (n: number) => this.window.giveBack(key, take.ids.slice(0, n));
    return { settle: (applied) => giveBack(applied), cancel: () => giveBack(take.ids.length) };
  }
}
