// Generates the seed catalog: the same { skus, seed, referenceDate } always gives the same output.
import { allocate } from './allocation';
import { generateBundles } from './bundles';
import { DEPARTMENTS, type Department, type Leaf } from './assortment';
import { categoryTree, leafId } from './categories';
import { describeProduct } from './descriptions';
import { assignDietary } from './dietary';
import { LOCATIONS } from './locations';
import type { Catalog, SeedProduct } from './model';
import { productNames } from './naming';
import { capacityOf, offersOf, type Offer } from './offers';
import { priceOf } from './pricing';
import { createRandom } from './random';
import { stockLevelsFor } from './stock-levels';

/** Expiry dates and creation dates are relative to this, never to the clock. */
export const DEFAULT_REFERENCE_DATE = new Date('2026-11-25T00:00:00Z');

export interface CatalogOptions {
  skus: number;
  seed?: number;
  referenceDate?: Date;
}

const DAY_MS = 86_400_000;

interface Placed {
  department: Department;
  leaf: Leaf;
  offer: Offer;
}

/** How many distinct SKUs the assortment can produce. */
export function catalogCapacity(): number {
  return DEPARTMENTS.reduce((n, d) => n + d.leaves.reduce((m, leaf) => m + capacityOf(leaf), 0), 0);
}

function pickOffers(skus: number, seed: number): Placed[] {
  const leaves = DEPARTMENTS.flatMap((department) => department.leaves.map((leaf) => ({ department, leaf })));
  const quotas = allocate(
    skus,
    leaves.map(({ leaf }) => ({ weight: leaf.weight, capacity: capacityOf(leaf) })),
  );
  const placed: Placed[] = [];
  leaves.forEach(({ department, leaf }, i) => {
    // A stream per leaf: editing one leaf's assortment leaves every other leaf's picks alone.
    const random = createRandom(seed, `offers:${leafId(department, leaf)}`);
    const { singles, multipacks, combos } = offersOf(leaf);
    const chosen = [...random.shuffle(singles), ...random.shuffle(multipacks), ...random.shuffle(combos)].slice(
      0,
      quotas[i],
    );
    for (const offer of chosen) placed.push({ department, leaf, offer });
  });
  // Interleave categories so SKU numbers do not cluster by aisle.
  return createRandom(seed, 'sku-order').shuffle(placed);
}

function sku(n: number): string {
  return `SKU-${String(n).padStart(6, '0')}`;
}

export function generateCatalog({ skus, seed = 1, referenceDate = DEFAULT_REFERENCE_DATE }: CatalogOptions): Catalog {
  if (!Number.isInteger(skus) || skus < 0) throw new RangeError(`skus must be a non-negative integer, got ${skus}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const reference = referenceDate.getTime();
  const placed = pickOffers(skus, seed);
  const dietary = assignDietary(
    placed.map((p) => p.offer),
    seed,
  );
  const random = createRandom(seed, 'attributes');

  const products = placed.map(({ department, leaf, offer }, i): SeedProduct => {
    const { line, maker, variant, size, pack } = offer;
    const id = sku(i + 1);
    const names = productNames(offer);
    const isPerishable = line.perishable ?? leaf.perishable;
    const shelfLifeDays = isPerishable ? (line.shelfLifeDays ?? leaf.shelfLifeDays ?? null) : null;
    if (isPerishable && shelfLifeDays === null) throw new Error(`perishable ${names.en} has no shelf life`);
    const storage = line.storage ?? leaf.storage;
    const description = describeProduct({
      nameEn: names.en,
      nameVi: names.vi,
      about: line.about,
      manufacturer: maker.manufacturer,
      originCountry: maker.country,
      originRegion: maker.region,
      storage,
      shelfLifeDays,
    });
    const priceAmount = priceOf(offer, random);
    const createdAt = new Date(reference - random.between(1, 730) * DAY_MS - random.int(1440) * 60_000);
    const expiresAt = shelfLifeDays === null ? null : new Date(reference + random.between(1, shelfLifeDays) * DAY_MS);
    const images = 1 + (random.chance(0.4) ? 1 : 0) + (random.chance(0.15) ? 1 : 0);
    const tags = new Set([...line.tags, ...variant.tags]);
    if (pack) tags.add('multipack');
    if (maker.country !== 'VN') tags.add('imported');
    if (maker.region) tags.add('local-produce');
    return {
      sku: id,
      nameEn: names.en,
      nameVi: names.vi,
      descriptionEn: description.en,
      descriptionVi: description.vi,
      categoryId: leafId(department, leaf),
      priceAmount,
      priceCurrency: 'VND',
      unit: pack?.unit ?? size.unit,
      sizeEn: size.en,
      sizeVi: size.vi,
      packCount: pack?.count ?? 1,
      brand: maker.brand,
      manufacturer: maker.manufacturer,
      originCountry: maker.country,
      originRegion: maker.region,
      storage,
      isPerishable,
      shelfLifeDays,
      expiresAt,
      dietary: dietary[i],
      tags: [...tags],
      imageUrls: Array.from({ length: images }, (_, k) => `/images/${id}${k === 0 ? '' : `-${k + 1}`}.jpg`),
      createdAt,
    };
  });

  const locations = LOCATIONS.map((l) => ({ ...l }));
  return {
    categories: categoryTree(DEPARTMENTS),
    products,
    locations,
    stockLevels: stockLevelsFor(products, locations, seed),
    bundles: generateBundles(products, seed),
  };
}
