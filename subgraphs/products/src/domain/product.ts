// The catalog's own view of a product and its rules; no GraphQL or Prisma types here.
import { badInput } from '@grocery/platform';

export interface ProductRecord {
  sku: string;
  nameEn: string;
  nameVi: string;
  categoryId: string;
  priceAmount: number;
  priceCurrency: string;
  unit: string;
  brand: string | null;
  isPerishable: boolean;
  descriptionEn: string | null;
  descriptionVi: string | null;
  tags: string[];
  /** Dietary labels (domain/product-filter.ts DIETARY_LABELS). */
  dietary: string[];
  manufacturer: string | null;
  imageUrls: string[];
  /** Perishables: best-before of the current batch, when known. */
  expiresAt: Date | null;
  shelfLifeDays: number | null;
  /** Mean review rating (1-5), null without reviews; fed by review.* events. */
  ratingAverage: number | null;
  reviewCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Archived products stay readable by SKU (orders refer to them) but leave browse and search. */
  archivedAt: Date | null;
}

export interface CategoryRecord {
  id: string;
  nameEn: string;
  nameVi: string;
  parentId: string | null;
  archivedAt: Date | null;
}

export interface ProductPatch {
  priceAmount?: number;
  priceCurrency?: string;
  nameEn?: string;
  nameVi?: string;
  unit?: string;
  brand?: string | null;
}

export const SUPPORTED_CURRENCIES = ['VND'] as const;
export const UNITS = ['kg', 'g', 'l', 'ml', 'piece', 'pack', 'bottle', 'box', 'bag', 'can', 'bunch', 'tray'] as const;
/** 1 billion VND: far above any grocery item, well inside GraphQL's 32-bit Int. */
export const MAX_PRICE = 1_000_000_000;
const MAX_NAME = 200;

function validName(value: string, field: string): string {
  const v = value.trim();
  if (v.length === 0) throw badInput(`${field} must not be empty.`, field);
  if (v.length > MAX_NAME) throw badInput(`${field} must be at most ${MAX_NAME} characters.`, field);
  return v;
}

/** Validates staff input for updateProduct; throws BAD_USER_INPUT naming the field. */
export function validatePatch(input: {
  price?: { amount: number; currency: string } | null;
  nameEn?: string | null;
  nameVi?: string | null;
  unit?: string | null;
  brand?: string | null;
}): ProductPatch {
  const patch: ProductPatch = {};
  if (input.price) {
    const { amount, currency } = input.price;
    if (!Number.isInteger(amount) || amount < 0)
      throw badInput('price.amount must be a non-negative integer in minor units.', 'price.amount');
    if (amount > MAX_PRICE) throw badInput(`price.amount must be at most ${MAX_PRICE}.`, 'price.amount');
    const cur = currency.trim().toUpperCase();
    if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(cur))
      throw badInput(`price.currency must be one of ${SUPPORTED_CURRENCIES.join(', ')}.`, 'price.currency');
    patch.priceAmount = amount;
    patch.priceCurrency = cur;
  }
  if (input.nameEn != null) patch.nameEn = validName(input.nameEn, 'nameEn');
  if (input.nameVi != null) patch.nameVi = validName(input.nameVi, 'nameVi');
  if (input.unit != null) {
    if (!(UNITS as readonly string[]).includes(input.unit))
      throw badInput(`unit must be one of ${UNITS.join(', ')}.`, 'unit');
    patch.unit = input.unit;
  }
  if (input.brand !== undefined) patch.brand = input.brand === null ? null : validName(input.brand, 'brand');
  if (Object.keys(patch).length === 0) throw badInput('Nothing to update: give at least one field.');
  return patch;
}
