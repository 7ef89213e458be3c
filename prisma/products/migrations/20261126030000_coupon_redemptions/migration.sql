-- Coupon redemptions, counted from order.placed events: one row per coupon promotion and order,
-- so a replayed event counts nothing twice, and per-customer limits can be checked.

-- CreateTable
CREATE TABLE "promotion_redemption" (
    "promotion_id" UUID NOT NULL,
    "order_id" TEXT NOT NULL,
    "customer_id" TEXT,
    "redeemed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "promotion_redemption_pkey" PRIMARY KEY ("promotion_id", "order_id"),
    CONSTRAINT "promotion_redemption_promotion_id_fkey" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "promotion_redemption_promotion_id_customer_id_idx" ON "promotion_redemption"("promotion_id", "customer_id");
