// The catalog's storage port: data/product-repository.ts implements it with Prisma. Every write
// commits the change and the event built from its result together (the outbox), or neither.
import type { DomainEvent } from '@grocery/platform';
import type { CategoryPatch, CategoryRecord, NewCategory, NewProduct, ProductPatch, ProductRecord } from './product';

export interface ProductStore {
  /** The products among these SKUs, archived ones included, in no particular order. */
  findBySkus(skus: readonly string[]): Promise<ProductRecord[]>;
  allCategories(): Promise<CategoryRecord[]>;
  /** CONFLICT when the SKU is taken; BAD_USER_INPUT when the category is unknown or archived. */
  create(product: NewProduct, topic: string, eventFor: (p: ProductRecord) => DomainEvent): Promise<ProductRecord>;
  /** `check` sees the merged product before anything is written. */
  update(
    sku: string,
    patch: ProductPatch,
    topic: string,
    eventFor: (p: ProductRecord) => DomainEvent,
    check?: (merged: ProductRecord) => void,
  ): Promise<ProductRecord>;
  /** An already archived product comes back unchanged, without an event. */
  archive(sku: string, topic: string, eventFor: (p: ProductRecord) => DomainEvent): Promise<ProductRecord>;
  createCategory(
    category: NewCategory,
    topic: string,
    eventFor: (c: CategoryRecord) => DomainEvent,
  ): Promise<CategoryRecord>;
  updateCategory(
    id: string,
    patch: CategoryPatch,
    topic: string,
    eventFor: (c: CategoryRecord) => DomainEvent,
  ): Promise<CategoryRecord>;
  /** An already archived category comes back unchanged, without an event. */
  archiveCategory(id: string, topic: string, eventFor: (c: CategoryRecord) => DomainEvent): Promise<CategoryRecord>;
}
