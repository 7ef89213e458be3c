// Bundles (meal kits): a few products in fixed quantities, sold together at the kit's own price.
// The rules for what staff may write, and what a kit saves; no GraphQL or Prisma types here.
import { badInput, isUuid } from '@grocery/platform';
import { validPrice, validText } from './product';

export const MIN_COMPONENTS = 2;
export const MAX_COMPONENTS = 20;
export const MAX_COMPONENT_QUANTITY = 99;
export const MAX_BUNDLE_NAME = 200;
export const MAX_BUNDLE_DESCRIPTION = 2000;
export const MAX_BUNDLE_IMAGES = 10;
const MAX_SLUG = 80;
/** Lower-case words joined by single hyphens: "lau-thai-hai-san-4-nguoi". */
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Bundle ids are UUIDs (createBundle draws them); anything else names no bundle. */
export const isBundleId = (id: string) => isUuid(id);

export interface BundleComponentRecord {
  sku: string;
  quantity: number;
}

/** The writable part of a bundle, validated. */
export interface BundleFields {
  slug: string;
  nameEn: string;
  nameVi: string;
  descriptionEn: string | null;
  descriptionVi: string | null;
  priceAmount: number;
  priceCurrency: string;
  imageUrls: string[];
  /** One per SKU; read back in SKU order (a kit's components have no order of their own). */
  components: BundleComponentRecord[];
}

/** A stored bundle: its writable fields plus what the store keeps. */
export interface BundleRecord extends BundleFields {
  id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Archived kits stay readable by id (orders refer to them) but are no longer listed. */
  archivedAt: Date | null;
}

/** What staff send; null or absent fields are left as they are on update. */
export interface BundleInput {
  slug?: string | null;
  nameEn?: string | null;
  nameVi?: string | null;
  descriptionEn?: string | null;
  descriptionVi?: string | null;
  price?: { amount: number; currency: string } | null;
  imageUrls?: string[] | null;
  components?: { sku: string; quantity: number }[] | null;
}

function slugOf(value: string): string {
  const v = value.trim();
  if (!SLUG.test(v) || v.length > MAX_SLUG)
    throw badInput(
      `slug must be lower-case letters and digits in words joined by single hyphens, at most ${MAX_SLUG} characters (e.g. "pho-bo-kit-2").`,
      'slug',
    );
  return v;
}

function imagesOf(urls: string[]): string[] {
  if (urls.length > MAX_BUNDLE_IMAGES) throw badInput(`At most ${MAX_BUNDLE_IMAGES} images.`, 'imageUrls');
  return urls.map((u, i) => {
    const v = u.trim();
    // Same-origin paths ("/images/...") or https: never a javascript: or data: URL in a shop page.
    if (!/^(\/[^\s]*|https:\/\/[^\s]+)$/.test(v) || v.length > 500)
      throw badInput('Each image URL must be an https:// URL or a path starting with /.', `imageUrls[${i}]`);
    return v;
  });
}

/** The shape rules: 2-20 distinct SKUs, each 1-99 units. Whether the SKUs exist is checked against the catalog. */
export function validateComponents(components: { sku: string; quantity: number }[]): BundleComponentRecord[] {
  if (components.length < MIN_COMPONENTS || components.length > MAX_COMPONENTS)
    throw badInput(`A bundle has from ${MIN_COMPONENTS} to ${MAX_COMPONENTS} components.`, 'components');
  const seen = new Set<string>();
  return components.map((c, i) => {
    const sku = c.sku.trim();
    if (sku.length === 0) throw badInput('sku must not be empty.', `components[${i}].sku`);
    if (seen.has(sku))
      throw badInput(`${sku} is listed twice: give it once with the total quantity.`, `components[${i}].sku`);
    seen.add(sku);
    if (!Number.isInteger(c.quantity) || c.quantity < 1 || c.quantity > MAX_COMPONENT_QUANTITY)
      throw badInput(
        `quantity must be a whole number from 1 to ${MAX_COMPONENT_QUANTITY}.`,
        `components[${i}].quantity`,
      );
    return { sku, quantity: c.quantity };
  });
}

function optionalText(value: string | null | undefined, field: string): string | null {
  return value == null || value.trim() === '' ? null : validText(value, field, MAX_BUNDLE_DESCRIPTION);
}

/** A new bundle: every required field present and valid; throws BAD_USER_INPUT naming the field. */
export function validateNewBundle(input: BundleInput): BundleFields {
  const required = <T>(value: T | null | undefined, field: string): T => {
    if (value == null) throw badInput(`${field} is required.`, field);
    return value;
  };
  return {
    slug: slugOf(required(input.slug, 'slug')),
    nameEn: validText(required(input.nameEn, 'nameEn'), 'nameEn', MAX_BUNDLE_NAME),
    nameVi: validText(required(input.nameVi, 'nameVi'), 'nameVi', MAX_BUNDLE_NAME),
    descriptionEn: optionalText(input.descriptionEn, 'descriptionEn'),
    descriptionVi: optionalText(input.descriptionVi, 'descriptionVi'),
    ...validPrice(required(input.price, 'price')),
    imageUrls: imagesOf(input.imageUrls ?? []),
    components: validateComponents(required(input.components, 'components')),
  };
}

/** The fields an update changes, validated; components, when given, replace the whole list. */
export function validateBundlePatch(input: BundleInput): Partial<BundleFields> {
  const patch: Partial<BundleFields> = {};
  if (input.slug != null) patch.slug = slugOf(input.slug);
  if (input.nameEn != null) patch.nameEn = validText(input.nameEn, 'nameEn', MAX_BUNDLE_NAME);
  if (input.nameVi != null) patch.nameVi = validText(input.nameVi, 'nameVi', MAX_BUNDLE_NAME);
  // An empty string clears a description; null leaves it.
  if (input.descriptionEn != null) patch.descriptionEn = optionalText(input.descriptionEn, 'descriptionEn');
  if (input.descriptionVi != null) patch.descriptionVi = optionalText(input.descriptionVi, 'descriptionVi');
  if (input.price != null) Object.assign(patch, validPrice(input.price));
  if (input.imageUrls != null) patch.imageUrls = imagesOf(input.imageUrls);
  if (input.components != null) patch.components = validateComponents(input.components);
  if (Object.keys(patch).length === 0) throw badInput('Nothing to update: give at least one field.');
  return patch;
}

/**
 * Components must be products the shop sells now: known and not archived. `found` holds the
 * catalog's rows for the components' SKUs (in any order).
 */
export function checkComponentsSellable(
  components: readonly BundleComponentRecord[],
  found: readonly { sku: string; archived: boolean }[],
): void {
  const bySku = new Map(found.map((p) => [p.sku, p]));
  components.forEach((c, i) => {
    const p = bySku.get(c.sku);
    if (!p) throw badInput(`No product with SKU ${c.sku}.`, `components[${i}].sku`);
    if (p.archived)
      throw badInput(`${c.sku} is archived and can no longer be sold in a bundle.`, `components[${i}].sku`);
  });
}

/** What the components cost bought one by one at their regular prices. */
export function regularTotal(
  components: readonly BundleComponentRecord[],
  regularPriceOf: (sku: string) => number,
): number {
  return components.reduce((sum, c) => sum + regularPriceOf(c.sku) * c.quantity, 0);
}

/** What the kit saves against buying its components singly; never negative (a dear kit saves nothing). */
export function bundleSavings(priceAmount: number, componentsTotal: number): number {
  return Math.max(0, componentsTotal - priceAmount);
}
