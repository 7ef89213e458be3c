// Small builders so each test states only what matters to it.
import type { CartLine, Promotion, PromotionRule } from '../types';

/** 10:00 in Hà Nội. */
export const NOW = new Date('2025-03-10T03:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

export function promotion(id: string, rule: PromotionRule, overrides: Partial<Promotion> = {}): Promotion {
  return {
    id,
    names: { en: `${id} (en)`, vi: `${id} (vi)` },
    rule,
    validFrom: at(-7 * DAY),
    validUntil: at(7 * DAY),
    active: true,
    priority: 0,
    stackable: false,
    ...overrides,
  };
}

export function line(sku: string, unitPrice: number, quantity = 1, overrides: Partial<CartLine> = {}): CartLine {
  return { sku, unitPrice, quantity, categoryPath: ['food'], isPerishable: false, ...overrides };
}
