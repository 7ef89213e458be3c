-- The earliest expiry of the SKU's live lots at the location (stock.level_changed's
-- earliestExpiry, ordered by the level's version like the rest of the row), null without lots.
-- Product.expiresAt is the least of them over the SKU's locations when there is one.
ALTER TABLE "product_stock" ADD COLUMN "earliest_expiry" TIMESTAMP(3);
CREATE INDEX "product_stock_earliest_expiry_idx" ON "product_stock" ("sku", "earliest_expiry") WHERE "earliest_expiry" IS NOT NULL;
