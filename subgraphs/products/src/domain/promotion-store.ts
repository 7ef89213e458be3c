// The promotions' storage ports: data/promotion-repository.ts and data/coupon-redemptions.ts
// implement them. Every write appends its event to the outbox in the same transaction.
import type { DomainEvent } from '@grocery/platform';
import type { Promotion } from './pricing';
import type { PromotionRecord } from './promotion';

export interface PromotionStore {
  /** Not archived, switched on and not yet over: what pricing considers (the window is checked there). */
  live(now: Date): Promise<PromotionRecord[]>;
  /** Every promotion not archived, newest first (staff view). */
  unarchived(): Promise<PromotionRecord[]>;
  /** Unarchived promotions with these codes, however old, so checkout can say why a code fails. */
  byCouponCodes(codes: readonly string[]): Promise<PromotionRecord[]>;
  /** CONFLICT when the coupon code is taken. */
  create(p: Promotion, topic: string, eventFor: (p: PromotionRecord) => DomainEvent): Promise<PromotionRecord>;
  /** NOT_FOUND for an unknown or archived promotion; CONFLICT when the coupon code is taken. */
  update(p: Promotion, topic: string, eventFor: (p: PromotionRecord) => DomainEvent): Promise<PromotionRecord>;
  archive(id: string, topic: string, eventFor: (p: PromotionRecord) => DomainEvent): Promise<PromotionRecord>;
}

/** Coupon use per customer, for per-customer limits. */
export interface CustomerRedemptions {
  /** How often this customer has redeemed each of these promotions (absent = never). */
  byCustomer(customerId: string, promotionIds: readonly string[]): Promise<Map<string, number>>;
}
