// What a cached response depends on, and which events change it. A response is tagged by the
// subgraph fetches that produced it (recorded as the query plan runs), an event by the tags it
// can have changed; an event evicts every entry sharing one of its tags.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { topicFor, type DomainEvent } from '@grocery/platform';
import type { GatewayContext } from '../context';

/** Subgraphs whose answers belong to a person: a response that fetched from one is never stored. */
export const PRIVATE_SUBGRAPHS: ReadonlySet<string> = new Set(['users']);

export const Tag = {
  /** The entry read something from this subgraph. */
  subgraph: (name: string) => `subgraph:${name}`,
  /** A products fetch that filtered on stock (`inStockAt`): changes with any SKU's stock. */
  productsByStock: 'products:stock',
  /** Stock read for one SKU (Product.availability / stockLevels through `_entities`). */
  stockOfSku: (sku: string) => `stock:sku:${sku}`,
  /** Carried with every stockOfSku tag, so an event without a SKU can evict them all. */
  anyStockOfSku: 'stock:sku:*',
} as const;

/**
 * The products subgraph's only stock-dependent answers are those filtered `inStockAt`: the one
 * read of products.product_stock is in search/product-filter-sql.ts under `filter.inStockAt`.
 * Any other argument that makes a products answer depend on stock must be listed here.
 */
const STOCK_DEPENDENT_PRODUCTS_ARGUMENTS = ['inStockAt'];

/** The tags of one subgraph fetch. */
export function fetchTags(subgraph: string, query: string, variables: Record<string, unknown> | undefined): string[] {
  if (subgraph === 'stock') {
    const skus = productSkus(query, variables);
    return skus ? [Tag.anyStockOfSku, ...skus.map(Tag.stockOfSku)] : [Tag.subgraph('stock')];
  }
  const tags = [Tag.subgraph(subgraph)];
  if (subgraph === 'products') {
    const text = variables ? query + JSON.stringify(variables) : query;
    if (STOCK_DEPENDENT_PRODUCTS_ARGUMENTS.some((arg) => text.includes(arg))) tags.push(Tag.productsByStock);
  }
  return tags;
}

/** The SKUs of an `_entities` fetch for Products only; undefined for anything else (root fields, other types). */
function productSkus(query: string, variables: Record<string, unknown> | undefined): string[] | undefined {
  const reps = variables?.representations;
  if (!query.includes('_entities(') || !Array.isArray(reps)) return undefined;
  const skus: string[] = [];
  for (const rep of reps as { __typename?: unknown; sku?: unknown }[]) {
    if (rep?.__typename !== 'Product' || typeof rep.sku !== 'string') return undefined;
    skus.push(rep.sku);
  }
  return skus;
}

/**
 * Which subgraphs' answers each domain's events can change, beyond the domain's own subgraph.
 * Products keeps ratings (review.*), popularity and coupon use (order.*) and the in-stock filter
 * (stock.*, only `products:stock` entries) from other domains' events; stock will consume order.*
 * and return.* (orders' topic). Conservative on purpose: an extra eviction costs one miss.
 */
const ALSO_CHANGES: Record<string, string[]> = {
  reviews: [Tag.subgraph('products')],
  orders: [Tag.subgraph('products'), Tag.subgraph('stock'), Tag.anyStockOfSku],
};

/** Domains whose topics the cache listens to, for a gateway composing these subgraphs. */
export function watchedDomains(subgraphs: Iterable<string>): string[] {
  const all = new Set([...subgraphs, ...Object.keys(ALSO_CHANGES)]);
  for (const name of PRIVATE_SUBGRAPHS) all.delete(name);
  return [...all].sort();
}

/**
 * The tags a change in `domain` can have invalidated. With a stock.level_changed event only that
 * SKU's stock entries go; without an event (a mutation seen passing through this gateway) the
 * widest set for the domain.
 */
export function tagsChangedBy(domain: string, event?: Pick<DomainEvent, 'type' | 'subject'>): string[] {
  const tags = [Tag.subgraph(domain), ...(ALSO_CHANGES[domain] ?? [])];
  if (domain === 'stock') {
    tags.push(Tag.productsByStock);
    tags.push(
      event?.type === 'stock.level_changed' && event.subject ? Tag.stockOfSku(event.subject) : Tag.anyStockOfSku,
    );
  }
  return tags;
}

export function domainOfTopic(topic: string): string {
  return topic.slice(topicFor('').length);
}

/** Per-request record of the subgraph fetches, keyed by the request's context object. */
export class FetchLog {
  private readonly byRequest = new WeakMap<object, { subgraphs: Set<string>; tags: Set<string> }>();

  record(context: object, subgraph: string, tags: readonly string[]): void {
    let log = this.byRequest.get(context);
    if (!log) this.byRequest.set(context, (log = { subgraphs: new Set(), tags: new Set() }));
    log.subgraphs.add(subgraph);
    for (const t of tags) log.tags.add(t);
  }

  of(context: object): { subgraphs: ReadonlySet<string>; tags: ReadonlySet<string> } {
    return this.byRequest.get(context) ?? { subgraphs: new Set(), tags: new Set() };
  }

  /** Wraps a subgraph's data source so each fetch is logged against its request before it runs. */
  wrap(name: string, inner: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext> {
    return {
      process: (options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> => {
        const context = options.context as object | undefined;
        if (context)
          this.record(context, name, fetchTags(name, options.request.query ?? '', options.request.variables));
        return inner.process(options);
      },
    };
  }
}
