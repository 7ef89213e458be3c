// What the products subgraph publishes (topic grocery.products).
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import type { ProductPatch, ProductRecord } from '../domain/product';

export const PRODUCTS_TOPIC = topicFor('products');
export const SOURCE = 'grocery/products';

export const ProductEventType = {
  created: 'product.created',
  updated: 'product.updated',
  archived: 'product.archived',
} as const;

export interface ProductUpdatedData {
  sku: string;
  version: number;
  changed: (keyof ProductPatch)[];
  price: { amount: number; currency: string };
  nameEn: string;
  nameVi: string;
}

export function productUpdated(p: ProductRecord, patch: ProductPatch): DomainEvent<ProductUpdatedData> {
  return makeEvent({
    source: SOURCE,
    type: ProductEventType.updated,
    subject: p.sku,
    data: {
      sku: p.sku,
      version: p.version,
      changed: Object.keys(patch) as (keyof ProductPatch)[],
      price: { amount: p.priceAmount, currency: p.priceCurrency },
      nameEn: p.nameEn,
      nameVi: p.nameVi,
    },
  });
}
