// Ratings from review.* events (durable group products.ratings): each event is applied once
// (processed_event), out-of-order-safe (data/product-ratings.ts), and the product's cache entry
// is evicted after commit so the next read shows the new average. Malformed events are logged
// and skipped: retrying them would only stall the reviews behind them.
import { idempotentHandler, type Bus, type DeadLetterSink, type DomainEvent, type Logger } from '@grocery/platform';
import type { ProductsDb } from '../data/db';
import { applyReviewChange } from '../data/product-ratings';
import type { CatalogService } from '../domain/catalog-service';
import type { ReviewChange } from '../domain/product-rating';
import { parseReviewEvent, REVIEWS_TOPIC } from './review-events';

export const RATINGS_GROUP = 'products.ratings';

export async function startRatingsConsumer(opts: {
  bus: Bus;
  db: ProductsDb;
  catalog: CatalogService;
  logger: Logger;
  deadLetters?: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const apply = idempotentHandler<DomainEvent & { change: ReviewChange }>({
    db: opts.db,
    consumer: RATINGS_GROUP,
    handle: async (event, tx) => {
      if (!(await applyReviewChange(tx, event.change)))
        opts.logger.debug(
          { id: event.id, reviewId: event.change.reviewId },
          'stale review event: a newer one is applied',
        );
    },
  });
  // "earliest": ratings are history, so a first start applies every review event still retained.
  const sub = await opts.bus.subscribe(
    REVIEWS_TOPIC,
    { group: RATINGS_GROUP, from: 'earliest', deadLetters: opts.deadLetters },
    async (event) => {
      const parsed = parseReviewEvent(event);
      if (parsed.kind === 'malformed') {
        opts.logger.warn(
          { id: event.id, type: event.type, reason: parsed.reason },
          'skipping a malformed review event',
        );
        return;
      }
      if (parsed.kind === 'ignored') return;
      const withChange: DomainEvent & { change: ReviewChange } = { ...event, change: parsed.change };
      await apply(withChange);
      // Also after a duplicate: if the eviction failed after the commit, the redelivery retries it.
      await opts.catalog.evict([parsed.change.sku]);
    },
  );
  return () => sub.close();
}
