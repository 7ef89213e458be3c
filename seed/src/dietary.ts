// Dietary labels. A variant's own labels always apply ("chay" is vegan); beyond those, the catalog
// tops each label up to its target share from products whose line allows it, so shares hold at
// any catalog size and a label never lands where it would be false (meat is never vegan).
import { DIETARY_LABELS, type Dietary } from './model';
import type { Offer } from './offers';
import { createRandom } from './random';

/** Target share of the catalog carrying each label (task 2.1: about 10% vegan and gluten-free). */
export const DIETARY_SHARE: Record<Dietary, number> = {
  vegan: 0.1,
  vegetarian: 0.17,
  gluten_free: 0.1,
  halal: 0.05,
  organic: 0.05,
  lactose_free: 0.02,
};

export function eligibleLabels(offer: Offer): Set<Dietary> {
  const labels = new Set<Dietary>([...offer.line.eligible, ...offer.variant.labels]);
  for (const excluded of offer.variant.excludes) labels.delete(excluded);
  return labels;
}

function withImplied(labels: Set<Dietary>): Set<Dietary> {
  if (labels.has('vegan')) labels.add('vegetarian');
  return labels;
}

/** Returns each product's labels in DIETARY_LABELS order. */
export function assignDietary(offers: readonly Offer[], seed: number): Dietary[][] {
  const labels = offers.map((o) => withImplied(new Set(o.variant.labels)));
  const eligible = offers.map(eligibleLabels);
  for (const label of DIETARY_LABELS) {
    const target = Math.round(DIETARY_SHARE[label] * offers.length);
    let have = labels.reduce((n, l) => n + (l.has(label) ? 1 : 0), 0);
    if (have >= target) continue;
    const candidates = offers.map((_, i) => i).filter((i) => eligible[i].has(label) && !labels[i].has(label));
    createRandom(seed, `dietary:${label}`).shuffle(candidates);
    for (const i of candidates) {
      if (have >= target) break;
      withImplied(labels[i].add(label));
      have += 1;
    }
  }
  return labels.map((l) => DIETARY_LABELS.filter((d) => l.has(d)));
}
