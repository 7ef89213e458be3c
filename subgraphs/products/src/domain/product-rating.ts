// A product's rating as the catalog keeps it: the latest word on every review, from review.* events.

/** What one review event says about a review: its rating now, or (rating null) that it is gone. */
export interface ReviewChange {
  reviewId: string;
  sku: string;
  /** 1-5; null when the review was deleted. */
  rating: number | null;
  /** When the change happened (the event's time): a change older than the one kept is stale. */
  at: Date;
}
