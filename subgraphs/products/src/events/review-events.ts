// The review.* contract the products subgraph consumes for ratings. The reviews subgraph comes
// later and will publish exactly this (topic grocery.reviews, subject = review id, so one review's
// events stay in order); until then, anything else on the topic is read as malformed or foreign.
import { topicFor, type DomainEvent } from '@grocery/platform';
import { z } from 'zod';
import type { ReviewChange } from '../domain/product-rating';
import { describeIssues, eventTime } from './event-parsing';

export const REVIEWS_TOPIC = topicFor('reviews');

export const ReviewEventType = {
  created: 'review.created',
  updated: 'review.updated',
  deleted: 'review.deleted',
} as const;

const id = z.string().trim().min(1).max(100);

/** Version 1 of review.created and review.updated's data. */
export const reviewRatedData = z.object({
  reviewId: id,
  sku: id,
  rating: z.number().int().min(1).max(5),
});
export type ReviewRatedData = z.infer<typeof reviewRatedData>;

/** Version 1 of review.deleted's data. */
export const reviewDeletedData = z.object({ reviewId: id, sku: id });
export type ReviewDeletedData = z.infer<typeof reviewDeletedData>;

export type ParsedReviewEvent =
  | { kind: 'change'; change: ReviewChange }
  /** Another review.* type this consumer has no use for. */
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: string };

/** Reads a review.* event into the change it makes to a product's ratings. */
export function parseReviewEvent(event: DomainEvent): ParsedReviewEvent {
  const deleted = event.type === ReviewEventType.deleted;
  if (!deleted && event.type !== ReviewEventType.created && event.type !== ReviewEventType.updated)
    return { kind: 'ignored' };
  const at = eventTime(event);
  if (!at) return { kind: 'malformed', reason: 'time is not an ISO timestamp' };
  const parsed = (deleted ? reviewDeletedData : reviewRatedData).safeParse(event.data);
  if (!parsed.success) return { kind: 'malformed', reason: describeIssues(parsed.error) };
  const data = parsed.data as ReviewRatedData | ReviewDeletedData;
  if (event.subject !== data.reviewId) return { kind: 'malformed', reason: 'subject is not data.reviewId' };
  return {
    kind: 'change',
    change: {
      reviewId: data.reviewId,
      sku: data.sku,
      rating: 'rating' in data ? data.rating : null,
      at,
    },
  };
}
