// The catalog's own view of a product and its rules; no GraphQL or Prisma types here.
import { badInput } from '@grocery/platform';
import { DIETARY_LABELS } from './dietary';

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
  /** Dietary labels (domain/dietary.ts DIETARY_LABELS). */
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

/** What staff may change on a product; absent = unchanged, null = cleared (optional fields). */
export interface ProductPatch {
  priceAmount?: number;
  priceCurrency?: string;
  nameEn?: string;
  nameVi?: string;
  unit?: string;
  brand?: string | null;
  categoryId?: string;
  descriptionEn?: string | null;
  descriptionVi?: string | null;
  manufacturer?: string | null;
  tags?: string[];
  dietary?: string[];
  imageUrls?: string[];
  isPerishable?: boolean;
  shelfLifeDays?: number | null;
  expiresAt?: Date | null;
}

/** A new product: every required field, the optional ones as given. */
export interface NewProduct extends ProductPatch {
  sku: string;
  priceAmount: number;
  priceCurrency: string;
  nameEn: string;
  nameVi: string;
  unit: string;
  categoryId: string;
}

export interface CategoryPatch {
  nameEn?: string;
  nameVi?: string;
  /** null moves it to the top level. */
  parentId?: string | null;
}

export interface NewCategory {
  id: string;
  nameEn: string;
  nameVi: string;
  parentId: string | null;
}

export const SUPPORTED_CURRENCIES = ['VND'] as const;
export const UNITS = ['kg', 'g', 'l', 'ml', 'piece', 'pack', 'bottle', 'box', 'bag', 'can', 'bunch', 'tray'] as const;
/** 1 billion VND: far above any grocery item, well inside GraphQL's 32-bit Int. */
export const MAX_PRICE = 1_000_000_000;
const MAX_NAME = 200;

/** Trimmed, non-empty, at most `max` characters; BAD_USER_INPUT naming the field otherwise. */
export function validText(value: string, field: string, max: number): string {
  const v = value.trim();
  if (v.length === 0) throw badInput(`${field} must not be empty.`, field);
  if (v.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  return v;
}

const validName = (value: string, field: string) => validText(value, field, MAX_NAME);

/** A price as staff enter it: whole minor units within MAX_PRICE, a supported currency. */
export function validPrice(price: { amount: number; currency: string }): {
  priceAmount: number;
  priceCurrency: string;
} {
  if (!Number.isInteger(price.amount) || price.amount < 0)
    throw badInput('price.amount must be a non-negative integer in minor units.', 'price.amount');
  if (price.amount > MAX_PRICE) throw badInput(`price.amount must be at most ${MAX_PRICE}.`, 'price.amount');
  const currency = price.currency.trim().toUpperCase();
  if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(currency))
    throw badInput(`price.currency must be one of ${SUPPORTED_CURRENCIES.join(', ')}.`, 'price.currency');
  return { priceAmount: price.amount, priceCurrency: currency };
}

const MAX_DESCRIPTION = 5000;
const MAX_TAGS = 30;
const MAX_IMAGES = 12;
const MAX_SHELF_LIFE_DAYS = 3650;
/** Upper-case letters, digits and dashes, 3 to 40: "SKU-000123", "VN-RICE-ST25-5KG". */
const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,38}[A-Z0-9]$/;
/** Lower-case slug: "fresh-produce", "dairy-eggs". */
const CATEGORY_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_CATEGORY_ID = 60;

export interface ProductInput {
  price?: { amount: number; currency: string } | null;
  nameEn?: string | null;
  nameVi?: string | null;
  unit?: string | null;
  brand?: string | null;
  categoryId?: string | null;
  descriptionEn?: string | null;
  descriptionVi?: string | null;
  manufacturer?: string | null;
  tags?: string[] | null;
  dietary?: string[] | null;
  imageUrls?: string[] | null;
  isPerishable?: boolean | null;
  shelfLifeDays?: number | null;
  expiresAt?: Date | null;
}

/** Optional text: undefined = unchanged, null or blank = cleared. */
function optionalText(value: string | null | undefined, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  return validText(value, field, max);
}

function validTags(tags: string[]): string[] {
  if (tags.length > MAX_TAGS) throw badInput(`tags takes at most ${MAX_TAGS} tags.`, 'tags');
  const out = tags.map((t) => t.trim().toLowerCase());
  if (out.some((t) => !/^[\p{Ll}\p{N}][\p{Ll}\p{N} _-]{0,49}$/u.test(t)))
    throw badInput('tags: each tag has 1 to 50 letters, digits, spaces, "_" or "-".', 'tags');
  return [...new Set(out)];
}

function validDietary(labels: string[]): string[] {
  const unknown = labels.find((d) => !(DIETARY_LABELS as readonly string[]).includes(d));
  if (unknown !== undefined)
    throw badInput(`dietary: "${unknown}" is not one of ${DIETARY_LABELS.join(', ')}.`, 'dietary');
  // Stored in the canonical order, and vegan implies vegetarian.
  const set = new Set(labels);
  if (set.has('vegan')) set.add('vegetarian');
  return DIETARY_LABELS.filter((d) => set.has(d));
}

function validImageUrls(urls: string[]): string[] {
  if (urls.length > MAX_IMAGES) throw badInput(`imageUrls takes at most ${MAX_IMAGES} URLs.`, 'imageUrls');
  return urls.map((raw) => {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw badInput(`imageUrls: "${raw.slice(0, 100)}" is not a URL.`, 'imageUrls');
    }
    if (url.protocol !== 'https:') throw badInput('imageUrls must be https URLs.', 'imageUrls');
    if (url.href.length > 1000) throw badInput('imageUrls: a URL is longer than 1000 characters.', 'imageUrls');
    return url.href;
  });
}

/**
 * Validates staff input for createProduct/updateProduct; throws BAD_USER_INPUT naming the field.
 * Whether the result is coherent as a whole (perishables and their shelf life) is checked
 * against the merged product by validateProductState.
 */
export function validatePatch(input: ProductInput): ProductPatch {
  const patch: ProductPatch = {};
  if (input.price) Object.assign(patch, validPrice(input.price));
  if (input.nameEn != null) patch.nameEn = validName(input.nameEn, 'nameEn');
  if (input.nameVi != null) patch.nameVi = validName(input.nameVi, 'nameVi');
  if (input.unit != null) {
    if (!(UNITS as readonly string[]).includes(input.unit))
      throw badInput(`unit must be one of ${UNITS.join(', ')}.`, 'unit');
    patch.unit = input.unit;
  }
  if (input.brand !== undefined) patch.brand = input.brand === null ? null : validName(input.brand, 'brand');
  if (input.categoryId != null) patch.categoryId = validCategoryId(input.categoryId, 'categoryId');
  const descriptionEn = optionalText(input.descriptionEn, 'descriptionEn', MAX_DESCRIPTION);
  if (descriptionEn !== undefined) patch.descriptionEn = descriptionEn;
  const descriptionVi = optionalText(input.descriptionVi, 'descriptionVi', MAX_DESCRIPTION);
  if (descriptionVi !== undefined) patch.descriptionVi = descriptionVi;
  const manufacturer = optionalText(input.manufacturer, 'manufacturer', MAX_NAME);
  if (manufacturer !== undefined) patch.manufacturer = manufacturer;
  if (input.tags != null) patch.tags = validTags(input.tags);
  if (input.dietary != null) patch.dietary = validDietary(input.dietary);
  if (input.imageUrls != null) patch.imageUrls = validImageUrls(input.imageUrls);
  if (input.isPerishable != null) patch.isPerishable = input.isPerishable;
  if (input.shelfLifeDays !== undefined) {
    const d = input.shelfLifeDays;
    if (d !== null && (!Number.isInteger(d) || d < 1 || d > MAX_SHELF_LIFE_DAYS))
      throw badInput(`shelfLifeDays must be an integer from 1 to ${MAX_SHELF_LIFE_DAYS}.`, 'shelfLifeDays');
    patch.shelfLifeDays = d;
  }
  if (input.expiresAt !== undefined) {
    if (input.expiresAt !== null && Number.isNaN(input.expiresAt.getTime()))
      throw badInput('expiresAt must be a valid date-time.', 'expiresAt');
    patch.expiresAt = input.expiresAt;
  }
  if (Object.keys(patch).length === 0) throw badInput('Nothing to update: give at least one field.');
  return patch;
}

/** Rules over the whole product once a patch is applied. */
export function validateProductState(p: {
  isPerishable: boolean;
  shelfLifeDays: number | null;
  expiresAt: Date | null;
}): void {
  if (p.isPerishable && p.shelfLifeDays === null)
    throw badInput('A perishable product needs shelfLifeDays.', 'shelfLifeDays');
  if (!p.isPerishable && p.expiresAt !== null)
    throw badInput('Only perishable products have an expiry date (expiresAt).', 'expiresAt');
}

export function validSku(sku: string): string {
  const v = sku.trim().toUpperCase();
  if (!SKU_PATTERN.test(v))
    throw badInput('sku must be 3 to 40 upper-case letters, digits or dashes (e.g. "SKU-001234").', 'sku');
  return v;
}

export function validCategoryId(id: string, field = 'id'): string {
  const v = id.trim();
  if (v.length === 0 || v.length > MAX_CATEGORY_ID || !CATEGORY_ID_PATTERN.test(v))
    throw badInput(
      `${field} must be a lower-case slug of letters, digits and dashes (at most ${MAX_CATEGORY_ID}).`,
      field,
    );
  return v;
}

/** Validates createProduct input: the required fields present, every field valid. */
export function validateNewProduct(input: ProductInput & { sku: string }): NewProduct {
  const missing = (['price', 'nameEn', 'nameVi', 'unit', 'categoryId'] as const).find((f) => input[f] == null);
  if (missing) throw badInput(`${missing} is required.`, missing);
  const patch = validatePatch(input);
  const product = { ...patch, sku: validSku(input.sku) } as NewProduct;
  validateProductState({
    isPerishable: product.isPerishable ?? false,
    shelfLifeDays: product.shelfLifeDays ?? null,
    expiresAt: product.expiresAt ?? null,
  });
  return product;
}

export function validateNewCategory(input: {
  id: string;
  nameEn: string;
  nameVi: string;
  parentId?: string | null;
}): NewCategory {
  return {
    id: validCategoryId(input.id),
    nameEn: validName(input.nameEn, 'nameEn'),
    nameVi: validName(input.nameVi, 'nameVi'),
    parentId: input.parentId == null ? null : validCategoryId(input.parentId, 'parentId'),
  };
}

export function validateCategoryPatch(input: {
  nameEn?: string | null;
  nameVi?: string | null;
  parentId?: string | null;
}): CategoryPatch {
  const patch: CategoryPatch = {};
  if (input.nameEn != null) patch.nameEn = validName(input.nameEn, 'nameEn');
  if (input.nameVi != null) patch.nameVi = validName(input.nameVi, 'nameVi');
  if (input.parentId !== undefined)
    patch.parentId = input.parentId === null ? null : validCategoryId(input.parentId, 'parentId');
  if (Object.keys(patch).length === 0) throw badInput('Nothing to update: give at least one field.');
  return patch;
}
