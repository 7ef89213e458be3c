// Bundles: staff create, edit and archive meal kits; anyone reads them through the entity cache.
// Writes commit with their event, then evict this replica's entry; the event evicts everyone's.
import { randomUUID } from 'node:crypto';
import { requireRole, type EntityCache, type Identity, type Logger } from '@grocery/platform';
import { bundleEvent, BundleEventType } from '../events/bundle-events';
import { PRODUCTS_TOPIC } from '../events/product-events';
import {
  bundleSavings,
  checkComponentsSellable,
  regularTotal,
  validateBundlePatch,
  validateNewBundle,
  type BundleInput,
  type BundleRecord,
} from './bundle';
import type { BundleStore } from './bundle-store';
import { decodeCursor, encodeCursor, validateFirst } from './cursor';
import type { ProductRecord } from './product';

type DateField = 'createdAt' | 'updatedAt' | 'archivedAt';

/** Cached form: JSON-safe (dates as ISO strings). */
export type CachedBundle = Omit<BundleRecord, DateField> & { [K in DateField]: string | null };

/** The bundles' cache namespace, keyed by bundle id. */
export const BUNDLE_CACHE = 'products:bundle:v1';

const toCached = (b: BundleRecord): CachedBundle => ({
  ...b,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
  archivedAt: b.archivedAt?.toISOString() ?? null,
});
const fromCached = (c: CachedBundle): BundleRecord => ({
  ...c,
  createdAt: new Date(c.createdAt!),
  updatedAt: new Date(c.updatedAt!),
  archivedAt: c.archivedAt === null ? null : new Date(c.archivedAt),
});

export interface BundlePage {
  totalCount: number;
  edges: { cursor: string; node: BundleRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A kit's price against its components bought singly, at their regular prices. */
export interface BundleValue {
  regularTotal: number;
  savings: number;
}

export class BundleService {
  constructor(
    private readonly repo: BundleStore,
    private readonly cache: EntityCache<CachedBundle>,
    private readonly afterCommit: () => void,
    private readonly maxPageSize: number,
    private readonly logger: Logger,
  ) {}

  /** Bundles by id, aligned with the input (null when unknown); archived ones included. */
  async bundlesByIds(ids: readonly string[]): Promise<(BundleRecord | null)[]> {
    // findByIds answers ids that are not UUIDs itself (none found), without a query.
    const cached = await this.cache.loadMany(ids, async (missing) => {
      const rows = await this.repo.findByIds(missing);
      return new Map(rows.map((r) => [r.id, toCached(r)]));
    });
    return cached.map((c) => (c === undefined || c === null ? null : fromCached(c)));
  }

  /** Active bundles a page at a time, in slug order. */
  async listBundles(args: { first: number; after?: string | null }): Promise<BundlePage> {
    const first = validateFirst(args.first, this.maxPageSize);
    const after = args.after ? decodeCursor(args.after) : null;
    const page = await this.repo.listActive(first, after);
    const edges = page.rows.map((node) => ({ cursor: encodeCursor(node.slug), node }));
    return {
      totalCount: page.totalCount,
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** Regular total and savings, from the components' current regular prices. */
  value(bundle: BundleRecord, products: readonly (ProductRecord | null)[]): BundleValue {
    const prices = new Map(products.flatMap((p) => (p ? [[p.sku, p.priceAmount] as const] : [])));
    const total = regularTotal(bundle.components, (sku) => prices.get(sku) ?? 0);
    return { regularTotal: total, savings: bundleSavings(bundle.priceAmount, total) };
  }

  async createBundle(identity: Identity | undefined, input: BundleInput): Promise<BundleRecord> {
    requireRole(identity, 'staff');
    const fields = validateNewBundle(input);
    const created = await this.repo.create(randomUUID(), fields, checkComponentsSellable, PRODUCTS_TOPIC, (b) =>
      bundleEvent(BundleEventType.created, b),
    );
    this.afterCommit();
    return created;
  }

  async updateBundle(identity: Identity | undefined, id: string, input: BundleInput): Promise<BundleRecord> {
    requireRole(identity, 'staff');
    const patch = validateBundlePatch(input);
    return this.written(
      await this.repo.update(id, patch, checkComponentsSellable, PRODUCTS_TOPIC, (b) =>
        bundleEvent(BundleEventType.updated, b),
      ),
    );
  }

  async archiveBundle(identity: Identity | undefined, id: string): Promise<BundleRecord> {
    requireRole(identity, 'staff');
    return this.written(await this.repo.archive(id, PRODUCTS_TOPIC, (b) => bundleEvent(BundleEventType.archived, b)));
  }

  /** Event-driven eviction (every replica's view converges on the database). */
  evict(ids: readonly string[]): Promise<void> {
    return this.cache.delete(ids);
  }

  private async written(b: BundleRecord): Promise<BundleRecord> {
    this.afterCommit();
    // The change is committed: a cache outage must not turn it into an error. The event's
    // consumers evict again (and retry) once the cache is back.
    await this.evict([b.id]).catch((err) =>
      this.logger.warn({ err, bundleId: b.id }, 'cache eviction after a bundle write failed; the event will retry it'),
    );
    return b;
  }
}
