-- Browsing: archiving, ratings fed by review events, popularity fed by order events, and a
-- projection of per-location availability fed by stock events (so "in stock at a location" is a
-- local join that pages and counts correctly). No semicolons inside comments: the executor
-- splits the file at every one.

-- AlterTable
ALTER TABLE "product" ADD COLUMN "archived_at" TIMESTAMP(3),
ADD COLUMN "rating_average" DOUBLE PRECISION,
ADD COLUMN "review_count" INTEGER NOT NULL DEFAULT 0,
ADD CONSTRAINT "product_rating_average_check" CHECK ("rating_average" IS NULL OR ("rating_average" >= 1 AND "rating_average" <= 5)),
ADD CONSTRAINT "product_review_count_check" CHECK ("review_count" >= 0);

-- AlterTable
ALTER TABLE "category" ADD COLUMN "archived_at" TIMESTAMP(3);

-- CreateTable: the latest rating of every review this catalog has heard of (review.* events),
-- so an edited or deleted review corrects the average exactly, and a replay changes nothing.
CREATE TABLE "product_review" (
    "review_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "rating" SMALLINT NOT NULL,
    "event_time" TIMESTAMP(3) NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "product_review_pkey" PRIMARY KEY ("review_id"),
    CONSTRAINT "product_review_rating_check" CHECK ("rating" BETWEEN 1 AND 5)
);

-- CreateIndex
CREATE INDEX "product_review_sku_idx" ON "product_review"("sku");

-- CreateTable: units ordered per SKU per day (Asia/Ho_Chi_Minh), from order.placed events.
CREATE TABLE "product_sales_daily" (
    "sku" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "quantity" INTEGER NOT NULL,
    "order_count" INTEGER NOT NULL,

    CONSTRAINT "product_sales_daily_pkey" PRIMARY KEY ("sku", "day"),
    CONSTRAINT "product_sales_daily_quantity_check" CHECK ("quantity" >= 0 AND "order_count" >= 0)
);

-- CreateIndex
CREATE INDEX "product_sales_daily_day_idx" ON "product_sales_daily"("day", "sku");

-- CreateTable: available units per SKU and location as the stock subgraph last reported them
-- (stock.level_changed), newest event wins.
CREATE TABLE "product_stock" (
    "sku" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "product_stock_pkey" PRIMARY KEY ("sku", "location_id")
);

-- CreateIndex
CREATE INDEX "product_stock_in_stock_idx" ON "product_stock"("location_id", "sku") WHERE "available" > 0;

-- CreateIndex: the browse sorts
CREATE INDEX "product_price_amount_sku_idx" ON "product"("price_amount", "sku");
CREATE INDEX "product_created_at_sku_idx" ON "product"("created_at" DESC, "sku");
CREATE INDEX "product_rating_average_sku_idx" ON "product"("rating_average" DESC NULLS LAST, "sku");
CREATE INDEX "product_expires_at_idx" ON "product"("expires_at") WHERE "expires_at" IS NOT NULL;
CREATE INDEX "product_tags_idx" ON "product" USING GIN ("tags");
CREATE INDEX "product_dietary_idx" ON "product" USING GIN ("dietary");
