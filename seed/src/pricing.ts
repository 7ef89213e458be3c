// Shelf prices in whole VND, rounded the way Vietnamese supermarkets price.
import type { Offer } from './offers';
import type { Random } from './random';

/** Bigger packs are cheaper per item, as on the shelf. */
function multipackDiscount(count: number): number {
  if (count <= 1) return 1;
  if (count <= 6) return 0.97;
  if (count <= 12) return 0.95;
  return 0.92;
}

/** Under 50,000 VND to the nearest 500, above to the nearest 1,000; never below 1,000. */
export function roundVnd(amount: number): number {
  const step = amount < 50_000 ? 500 : 1_000;
  return Math.max(1_000, Math.round(amount / step) * step);
}

export function priceOf(offer: Offer, random: Random): number {
  const count = offer.pack?.count ?? 1;
  const list = offer.size.price * offer.maker.priceFactor * offer.variant.priceFactor;
  // ±6% so that products of the same size and brand are not all priced identically.
  const jitter = 0.94 + random.next() * 0.12;
  return roundVnd(list * count * multipackDiscount(count) * jitter);
}
