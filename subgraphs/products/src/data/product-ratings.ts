// Ratings from review events: product_review keeps the newest word on every review, and the
// product's average and count are recomputed from it, so an edited or deleted review corrects
// the figures exactly and a late, older event cannot undo a newer one.
import { appendToOutbox, type SqlClient } from '@grocery/platform';
import { productRatingChanged, PRODUCTS_TOPIC } from '../events/product-events';
import type { ReviewChange } from '../domain/product-rating';
import { textArray } from '../search/product-filter-sql';

/**
 * Records the change if it is not older than what product_review holds for that review, then
 * recomputes the affected products' rating_average and review_count. Run it inside the consumer's
 * transaction. Returns whether the change was applied (false: a newer one was already there).
 */
export async function applyReviewChange(tx: SqlClient, change: ReviewChange): Promise<boolean> {
  const [previous] = await tx.$queryRawUnsafe<{ sku: string }[]>(
    `SELECT sku FROM products.product_review WHERE review_id = $1`,
    change.reviewId,
  );
  // Newest event wins. A tie goes to the one delivered later: the bus keeps one review's events
  // in order, so at equal timestamps the later delivery is the later change. A deletion that
  // arrives before anything else about its review leaves a tombstone (its rating is a
  // placeholder, never counted) so that an older review.created replayed afterwards stays out.
  const applied = await tx.$executeRawUnsafe(
    `INSERT INTO products.product_review AS r (review_id, sku, rating, event_time, deleted)
     VALUES ($1, $2, coalesce($3::smallint, 1), ($4::timestamptz AT TIME ZONE 'UTC'), $3::smallint IS NULL)
     ON CONFLICT (review_id) DO UPDATE
        SET sku = excluded.sku,
            rating = CASE WHEN excluded.deleted THEN r.rating ELSE excluded.rating END,
            event_time = excluded.event_time,
            deleted = excluded.deleted
      WHERE excluded.event_time >= r.event_time`,
    change.reviewId,
    change.sku,
    change.rating,
    change.at.toISOString(),
  );
  if (applied === 0) return false;
  const skus = JSON.stringify([...new Set([change.sku, previous?.sku ?? change.sku])].sort());
  // Lock the products first: the recount below then runs with a snapshot taken after any other
  // transaction recounting the same product has committed, so two reviews of one product
  // handled at the same time cannot each overwrite the other's count.
  await tx.$queryRawUnsafe(
    `SELECT sku FROM products.product WHERE sku = ANY(${textArray('$1')}) ORDER BY sku FOR UPDATE`,
    skus,
  );
  await recountRatings(tx, skus);
  return true;
}

/**
 * Recomputes rating_average and review_count from product_review — for these SKUs (a JSON
 * array), or for every product — in the caller's transaction, and announces each product it
 * wrote as product.rating_changed in the same transaction: whatever keeps a copy of the product
 * (the Elasticsearch index, every replica's cache, the gateway's response cache) hears of it.
 * `onlyChanged` leaves out products whose figures are already right (a rebuild of them all).
 * Returns how many products it wrote.
 */
export async function recountRatings(tx: SqlClient, skus: string | 'all', onlyChanged = false): Promise<number> {
  const updated = await tx.$queryRawUnsafe<{ sku: string; rating_average: number | null; review_count: number }[]>(
    `UPDATE products.product p
        SET rating_average = r.average, review_count = r.reviews
       FROM (SELECT p2.sku, avg(pr.rating)::float8 AS average, count(pr.review_id)::int AS reviews
               FROM products.product p2
               LEFT JOIN products.product_review pr ON pr.sku = p2.sku AND NOT pr.deleted
              WHERE $1::json IS NULL OR p2.sku = ANY(${textArray('$1')})
              GROUP BY p2.sku) r
      WHERE p.sku = r.sku
        AND (NOT $2::boolean OR p.rating_average IS DISTINCT FROM r.average OR p.review_count IS DISTINCT FROM r.reviews)
      RETURNING p.sku, p.rating_average, p.review_count`,
    skus === 'all' ? null : skus,
    onlyChanged,
  );
  await appendToOutbox(
    tx,
    PRODUCTS_TOPIC,
    updated.map((u) => productRatingChanged(u.sku, u.rating_average, u.review_count)),
  );
  return updated.length;
}
