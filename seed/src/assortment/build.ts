// Small constructors that keep the assortment tables readable.
import type { Dietary, Unit } from '../model';
import type { Maker, PackFormat, ProductLine, Size, Variant } from './types';

/** A brand; the manufacturer is the company behind it. */
export function brand(name: string, manufacturer: string, priceFactor = 1, country = 'VN'): Maker {
  return { en: name, vi: name, brand: name, manufacturer, country, region: null, priceFactor };
}

/** A brand whose name differs by language ("The Laughing Cow" / "Con Bò Cười"). */
export function brand2(en: string, vi: string, manufacturer: string, priceFactor = 1, country = 'VN'): Maker {
  return { en, vi, brand: en, manufacturer, country, region: null, priceFactor };
}

/** Unbranded produce named by where it comes from ("Cà chua Đà Lạt"). */
export function origin(region: string, priceFactor = 1): Maker {
  return { en: region, vi: region, brand: null, manufacturer: null, country: 'VN', region, priceFactor };
}

/** Imported produce named by its country ("Australian" / "Úc"). */
export function imported(en: string, vi: string, country: string, priceFactor = 1): Maker {
  return { en, vi, brand: null, manufacturer: null, country, region: null, priceFactor };
}

export function variant(
  en: string,
  vi: string,
  opts: { price?: number; labels?: Dietary[]; excludes?: Dietary[]; tags?: string[] } = {},
): Variant {
  return {
    en,
    vi,
    priceFactor: opts.price ?? 1,
    labels: opts.labels ?? [],
    excludes: opts.excludes ?? [],
    tags: opts.tags ?? [],
  };
}

export const PLAIN = variant('', '');
export const ORGANIC = variant('Organic', 'hữu cơ', { price: 1.6, labels: ['organic'], tags: ['organic'] });
export const VIETGAP = variant('VietGAP', 'VietGAP', { price: 1.15, tags: ['vietgap'] });
export const VEGETARIAN = variant('Vegetarian', 'chay', { labels: ['vegan', 'vegetarian'], tags: ['vegetarian'] });
/** Meat or seafood in a flavour: never vegan or vegetarian, pork never halal. */
export const MEATY: Dietary[] = ['vegan', 'vegetarian'];
export const PORKY: Dietary[] = ['vegan', 'vegetarian', 'halal'];

/** Vietnamese writes decimals with a comma: "1,5L", "2,2kg". */
function viDecimals(label: string): string {
  return label.replace(/(\d)\.(\d)/g, '$1,$2');
}

export function size(label: string, price: number, unit: Unit, packs: PackFormat[] = []): Size {
  return { en: label, vi: viDecimals(label), price, unit, packs };
}

export function size2(en: string, vi: string, price: number, unit: Unit, packs: PackFormat[] = []): Size {
  return { en, vi: viDecimals(vi), price, unit, packs };
}

/** Sizes of loose produce from the price of 500 g. */
export function weighed(pricePer500g: number, labels: readonly string[] = ['250g', '500g', '1kg']): Size[] {
  const factors: Record<string, [number, Unit]> = {
    '100g': [0.24, 'bag'],
    '150g': [0.34, 'bag'],
    '200g': [0.44, 'bag'],
    '250g': [0.55, 'bag'],
    '300g': [0.64, 'bag'],
    '500g': [1, 'bag'],
    '1kg': [1.9, 'kg'],
    '2kg': [3.7, 'kg'],
    '3kg': [5.4, 'kg'],
  };
  return labels.map((label) => {
    const entry = factors[label];
    if (!entry) throw new RangeError(`no weight factor for ${label}`);
    return size(label, pricePer500g * entry[0], entry[1]);
  });
}

export function pack(count: number, en: string, vi: string, unit: Unit = 'pack'): PackFormat {
  return { count, en, vi, unit };
}

/** A product line; templates default to "{maker} <name> {variant} {size}" in English. */
export function line(
  spec: Omit<ProductLine, 'tags' | 'eligible'> & { tags?: string[]; eligible?: Dietary[] },
): ProductLine {
  return { ...spec, tags: spec.tags ?? [], eligible: spec.eligible ?? [] };
}

/**
 * Produce lines from [English, Vietnamese, VND per 500 g] rows: "Organic Đà Lạt Tomatoes 500g" /
 * "Cà chua hữu cơ Đà Lạt 500g".
 */
export function produceLines(
  rows: readonly (readonly [string, string, number])[],
  shared: {
    makers: Maker[];
    variants: Variant[];
    weights?: string[];
    eligible: Dietary[];
    tags: string[];
  },
): ProductLine[] {
  return rows.map(([en, vi, price]) =>
    line({
      en: `{variant} {maker} ${en} {size}`,
      vi: `${vi} {variant} {maker} {size}`,
      makers: shared.makers,
      variants: shared.variants,
      sizes: weighed(price, shared.weights),
      eligible: shared.eligible,
      tags: [...shared.tags, slug(en)],
    }),
  );
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Dietary eligibility of common kinds of food. */
export const DIET = {
  /** Fresh produce: halal certification is for processed food, meat and dairy, not loose vegetables. */
  produce: ['vegan', 'vegetarian', 'gluten_free', 'organic'],
  plant: ['vegan', 'vegetarian', 'gluten_free', 'halal', 'organic'],
  plantWheat: ['vegan', 'vegetarian', 'halal', 'organic'],
  plantMilk: ['vegan', 'vegetarian', 'gluten_free', 'halal', 'organic', 'lactose_free'],
  dairy: ['vegetarian', 'gluten_free', 'halal', 'organic'],
  baked: ['vegetarian', 'halal'],
  halalMeat: ['gluten_free', 'halal', 'organic'],
  seafood: ['gluten_free', 'halal'],
  pork: ['gluten_free', 'organic'],
  drink: ['vegan', 'vegetarian', 'gluten_free', 'halal'],
  none: [],
} satisfies Record<string, Dietary[]>;
