// Every distinct product a leaf category can sell, in three tiers: single items (line × maker ×
// variant × size), the multipacks and cases the assortment lists, and "combo 2 / combo 3" bundles
// of shelf-stable goods as sold online. Later tiers only fill in once earlier ones run out, which
// is how a 50,000-SKU catalog stays free of numbered duplicates.
import type { Leaf, ProductLine } from './assortment';
import type { Maker, PackFormat, Size, Variant } from './assortment/types';
import type { Unit } from './model';

export interface Offer {
  line: ProductLine;
  maker: Maker;
  variant: Variant;
  size: Size;
  pack: PackFormat | null;
}

export interface LeafOffers {
  singles: Offer[];
  multipacks: Offer[];
  combos: Offer[];
}

const COMBO_COUNTS = [2, 3];

const CONTAINER_VI: Record<Unit, string> = {
  bottle: 'chai',
  box: 'hộp',
  bag: 'túi',
  pack: 'gói',
  piece: 'cái',
  kg: 'túi',
  g: 'gói',
  l: 'chai',
  ml: 'chai',
};

const CONTAINER_WORDS = new Set([
  'lon',
  'ly',
  'hũ',
  'tuýp',
  'vỉ',
  'que',
  'thanh',
  'hộp',
  'gói',
  'chai',
  'túi',
  'bịch',
  'tô',
  'cục',
]);

/** "combo 2 lon" for cans, "combo 2 chai" for bottles: the word on Vietnamese shop listings. */
function containerVi(size: Size): string {
  const first = size.vi.split(' ')[0];
  return CONTAINER_WORDS.has(first) ? first : CONTAINER_VI[size.unit];
}

function combosFor(size: Size): PackFormat[] {
  if (size.unit === 'kg') return [];
  const listed = new Set(size.packs.map((p) => p.count));
  return COMBO_COUNTS.filter((n) => !listed.has(n)).map((count) => ({
    count,
    en: `Pack of ${count}`,
    vi: `combo ${count} ${containerVi(size)}`,
    unit: 'pack',
  }));
}

function sellsCombos(leaf: Leaf, line: ProductLine): boolean {
  return !(line.perishable ?? leaf.perishable);
}

export function offersOf(leaf: Leaf): LeafOffers {
  const offers: LeafOffers = { singles: [], multipacks: [], combos: [] };
  for (const line of leaf.lines) {
    const combos = sellsCombos(leaf, line);
    for (const maker of line.makers)
      for (const variant of line.variants)
        for (const size of line.sizes) {
          offers.singles.push({ line, maker, variant, size, pack: null });
          for (const pack of size.packs) offers.multipacks.push({ line, maker, variant, size, pack });
          if (combos) for (const pack of combosFor(size)) offers.combos.push({ line, maker, variant, size, pack });
        }
  }
  return offers;
}

export function capacityOf(leaf: Leaf): number {
  let n = 0;
  for (const line of leaf.lines) {
    const combos = sellsCombos(leaf, line);
    const perSize = line.sizes.reduce((sum, s) => sum + 1 + s.packs.length + (combos ? combosFor(s).length : 0), 0);
    n += line.makers.length * line.variants.length * perSize;
  }
  return n;
}
