-- The order lines product_sales_daily is summed from (order.placed, per SKU), kept for the last
-- 35 days: what `pnpm ops rebuild sales` recomputes the daily sales from, and what makes a line
-- count once however often its event is delivered.
CREATE TABLE "product_order_line" (
    "order_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "product_order_line_pkey" PRIMARY KEY ("order_id", "sku"),
    CONSTRAINT "product_order_line_quantity_check" CHECK ("quantity" > 0)
);

CREATE INDEX "product_order_line_day_idx" ON "product_order_line"("day");
