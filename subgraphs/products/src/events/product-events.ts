// What the products subgraph publishes about its catalog (topic grocery.products): products
// (subject = SKU) and categories (subject = category id). Each carries the entity's new state,
// so a consumer (search index, caches, other domains) never has to read back.
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import type { CategoryRecord, ProductPatch, ProductRecord } from '../domain/product';

export const PRODUCTS_TOPIC = topicFor('products');
export const SOURCE = 'grocery/products';

export const ProductEventType = {
  created: 'product.created',
  updated: 'product.updated',
  archived: 'product.archived',
  /** The average rating or review count changed (from review.* events). */
  ratingChanged: 'product.rating_changed',
} as const;

export const CategoryEventType = {
  created: 'category.created',
  updated: 'category.updated',
  archived: 'category.archived',
} as const;

/** Version 1 of product.created / product.updated / product.archived data. */
export interface ProductEventData {
  sku: string;
  version: number;
  /** updated only: the fields the edit changed. */
  changed?: (keyof ProductPatch)[];
  price: { amount: number; currency: string };
  nameEn: string;
  nameVi: string;
  categoryId: string;
  archivedAt: string | null;
}

function productEvent(type: string, p: ProductRecord, changed?: (keyof ProductPatch)[]): DomainEvent<ProductEventData> {
  return makeEvent({
    source: SOURCE,
    type,
    subject: p.sku,
    data: {
      sku: p.sku,
      version: p.version,
      ...(changed ? { changed } : {}),
      price: { amount: p.priceAmount, currency: p.priceCurrency },
      nameEn: p.nameEn,
      nameVi: p.nameVi,
      categoryId: p.categoryId,
      archivedAt: p.archivedAt?.toISOString() ?? null,
    },
  });
}

export const productCreated = (p: ProductRecord) => productEvent(ProductEventType.created, p);
export const productUpdated = (p: ProductRecord, patch: ProductPatch) =>
  productEvent(ProductEventType.updated, p, Object.keys(patch) as (keyof ProductPatch)[]);
export const productArchived = (p: ProductRecord) => productEvent(ProductEventType.archived, p);

export interface ProductRatingChangedData {
  sku: string;
  ratingAverage: number | null;
  reviewCount: number;
}

export function productRatingChanged(
  sku: string,
  ratingAverage: number | null,
  reviewCount: number,
): DomainEvent<ProductRatingChangedData> {
  return makeEvent({
    source: SOURCE,
    type: ProductEventType.ratingChanged,
    subject: sku,
    data: { sku, ratingAverage, reviewCount },
  });
}

export interface CategoryEventData {
  id: string;
  nameEn: string;
  nameVi: string;
  parentId: string | null;
  archivedAt: string | null;
}

function categoryEvent(type: string, c: CategoryRecord): DomainEvent<CategoryEventData> {
  return makeEvent({
    source: SOURCE,
    type,
    subject: c.id,
    data: {
      id: c.id,
      nameEn: c.nameEn,
      nameVi: c.nameVi,
      parentId: c.parentId,
      archivedAt: c.archivedAt?.toISOString() ?? null,
    },
  });
}

export const categoryCreated = (c: CategoryRecord) => categoryEvent(CategoryEventType.created, c);
export const categoryUpdated = (c: CategoryRecord) => categoryEvent(CategoryEventType.updated, c);
export const categoryArchived = (c: CategoryRecord) => categoryEvent(CategoryEventType.archived, c);
