// Coupon codes cannot be guessed: each client (`user:<id>` or `ip:<address>`, as the gateway
// saw it) may have only so many codes refused per sliding window, counted across replicas. The
// codes of a request are counted as refused before they are read (so concurrent requests cannot
// all slip under the limit) and the ones that applied are given back afterwards.
import { AppError, ErrorCode, type RateLimiter } from '@grocery/platform';

export interface CouponAttempt {
  /** After pricing: the codes that took something off do not count. */
  settle(applied: number): Promise<void>;
  /** Pricing failed before the codes were judged: none of them count. */
  cancel(): Promise<void>;
}

const NOTHING: CouponAttempt = { settle: async () => {}, cancel: async () => {} };

export class CouponAttempts {
  constructor(
    private readonly budget: RateLimiter,
    private readonly windowSeconds: number,
  ) {}

  /** Refuses with RATE_LIMITED (unread) when `codes` more would pass the client's budget. */
  async begin(clientKey: string | undefined, codes: number): Promise<CouponAttempt> {
    if (codes === 0) return NOTHING;
    const key = clientKey ?? 'unknown';
    const verdict = await this.budget.hit(key, codes);
    if (!verdict.allowed) {
      const { retryAfterSeconds, limit } = verdict;
      const minutes = Math.round(this.windowSeconds / 60);
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many coupon codes refused: at most ${limit} per ${minutes} minutes. Try again in ${retryAfterSeconds} s.`,
        { field: 'couponCodes', limit: 'rejectedCouponCodes', max: limit, retryAfterSeconds },
      );
    }
    // Given back: all of them if pricing never judged them, else the ones that applied.
    const giveBack = (n: number) => this.budget.refund(key, n);
    return { settle: (applied) => giveBack(applied), cancel: () => giveBack(codes) };
  }
}
