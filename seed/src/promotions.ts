// Seeded promotions: one or more of every rule the pricing domain knows (task 2.8), on products
// and categories of the generated catalog, valid from the day before the reference date for a
// year, so a fresh platform shows discounted shelf prices and working coupon codes. Rules are
// the products domain's PromotionRule JSON (subgraphs/products/src/domain/pricing/types.ts).
import { createHash } from 'node:crypto';
import type { SeedCategory, SeedProduct } from './model';
import { createRandom } from './random';

const DAY_MS = 86_400_000;

export interface SeedPromotion {
  id: string;
  nameEn: string;
  nameVi: string;
  rule: Record<string, unknown>;
  validFrom: Date;
  validUntil: Date;
  couponCode: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  priority: number;
  stackable: boolean;
}

/** A UUID derived from a name, so the same seed always writes the same ids (and a reload inserts nothing). */
function stableUuid(name: string): string {
  const h = createHash('sha256').update(`grocery-seed-promotion:${name}`).digest('hex');
  // Version 8 ("custom") UUID layout: version nibble 8, RFC 4122 variant bits.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const formatVnd = (n: number) => n.toLocaleString('vi-VN');

export function generatePromotions(options: {
  products: readonly SeedProduct[];
  categories: readonly SeedCategory[];
  seed: number;
  referenceDate: Date;
}): SeedPromotion[] {
  const { products, categories, seed, referenceDate } = options;
  if (products.length < 20) return [];
  const random = createRandom(seed, 'promotions');
  const validFrom = new Date(referenceDate.getTime() - DAY_MS);
  const validUntil = new Date(referenceDate.getTime() + 365 * DAY_MS);
  const base: Pick<
    SeedPromotion,
    'validFrom' | 'validUntil' | 'couponCode' | 'usageLimit' | 'perCustomerLimit' | 'stackable'
  > = {
    validFrom,
    validUntil,
    couponCode: null,
    usageLimit: null,
    perCustomerLimit: null,
    stackable: false,
  };
  const pool = random.shuffle(products.filter((p) => p.priceAmount >= 10_000).map((p) => p));
  const take = (n: number) => pool.splice(0, n);
  const promotions: SeedPromotion[] = [];
  const add = (key: string, p: Omit<SeedPromotion, 'id' | keyof typeof base> & Partial<typeof base>) =>
    promotions.push({ ...base, ...p, id: stableUuid(`${seed}:${key}`) });

  // Weekly specials: 10-25% off single SKUs.
  for (const [i, p] of take(Math.min(40, Math.floor(products.length / 50) + 5)).entries()) {
    const percent = [10, 15, 20, 25][random.int(4)];
    add(`sku-${i}`, {
      nameEn: `Weekly special: ${percent}% off ${p.nameEn}`,
      nameVi: `Ưu đãi tuần: giảm ${percent}% ${p.nameVi}`,
      rule: { type: 'sku_discount', skus: [p.sku], off: { kind: 'percent', percent } },
      priority: 10,
    });
  }

  // A category sale on two sub-categories that have products.
  const leavesWithProducts = [...new Set(products.map((p) => p.categoryId))].sort();
  const leaves = categories.filter((c) => leavesWithProducts.includes(c.id));
  for (const [i, c] of random
    .shuffle([...leaves])
    .slice(0, 2)
    .entries()) {
    add(`category-${i}`, {
      nameEn: `10% off all ${c.nameEn}`,
      nameVi: `Giảm 10% toàn bộ ${c.nameVi}`,
      rule: { type: 'category_discount', categoryIds: [c.id], off: { kind: 'percent', percent: 10 } },
      priority: 5,
    });
  }

  // The plan's example: perishables 30% off within 3 days of expiry.
  add('near-expiry', {
    nameEn: '30% off fresh food expiring within 3 days',
    nameVi: 'Giảm 30% thực phẩm tươi hết hạn trong 3 ngày',
    rule: { type: 'near_expiry', withinDays: 3, percent: 30 },
    priority: 20,
  });

  // Buy one get one on a few SKUs, and a mix-and-match "buy 2 get 1" set.
  for (const [i, p] of take(5).entries()) {
    add(`bogo-${i}`, {
      nameEn: `Buy 1 get 1 free: ${p.nameEn}`,
      nameVi: `Mua 1 tặng 1: ${p.nameVi}`,
      rule: { type: 'buy_x_get_y', skus: [p.sku], buy: 1, get: 1, mode: 'same_sku' },
      priority: 15,
    });
  }
  const mix = take(6);
  add('mix-3-for-2', {
    nameEn: 'Mix and match: buy 2, get the cheapest third free',
    nameVi: 'Chọn tùy thích: mua 2 tặng 1 (món rẻ nhất)',
    rule: { type: 'buy_x_get_y', skus: mix.map((p) => p.sku), buy: 2, get: 1, mode: 'cheapest_in_set' },
    priority: 12,
  });

  // Bulk: 6 or more of these units, 12% off each.
  const bulk = take(4);
  add('bulk-6', {
    nameEn: 'Stock up: 12% off when you buy 6 or more',
    nameVi: 'Mua nhiều: giảm 12% khi mua từ 6 sản phẩm',
    rule: { type: 'bulk', skus: bulk.map((p) => p.sku), minQuantity: 6, off: { kind: 'percent', percent: 12 } },
    priority: 8,
  });

  // Order level: automatic over a threshold, and coupon codes with limits.
  add('order-500k', {
    nameEn: `5% off orders over ${formatVnd(500_000)} ₫ (up to ${formatVnd(50_000)} ₫)`,
    nameVi: `Giảm 5% đơn từ ${formatVnd(500_000)} ₫ (tối đa ${formatVnd(50_000)} ₫)`,
    rule: { type: 'order_threshold', minSubtotal: 500_000, off: { kind: 'percent', percent: 5, maxDiscount: 50_000 } },
    priority: 1,
  });
  add('coupon-welcome', {
    nameEn: `Welcome: ${formatVnd(30_000)} ₫ off your first order over ${formatVnd(200_000)} ₫`,
    nameVi: `Chào bạn mới: giảm ${formatVnd(30_000)} ₫ cho đơn đầu tiên từ ${formatVnd(200_000)} ₫`,
    rule: { type: 'order_threshold', minSubtotal: 200_000, off: { kind: 'fixed', amount: 30_000 } },
    couponCode: 'WELCOME30',
    perCustomerLimit: 1,
    priority: 2,
  });
  add('coupon-freshweek', {
    nameEn: '10% off (first 1,000 orders)',
    nameVi: 'Giảm 10% (1.000 đơn đầu tiên)',
    rule: { type: 'order_threshold', minSubtotal: 0, off: { kind: 'percent', percent: 10, maxDiscount: 100_000 } },
    couponCode: 'FRESHWEEK',
    usageLimit: 1000,
    perCustomerLimit: 2,
    priority: 2,
    stackable: true,
  });
  return promotions;
}
