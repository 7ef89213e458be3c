-- Orders: carts, checkouts, orders and their lines, substitutions, payments, returns (issue 10).
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "orders";

-- CreateEnum
CREATE TYPE "SubstitutionPreference" AS ENUM ('NONE', 'BEST_MATCH', 'SPECIFIC');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING_PAYMENT', 'CONFIRMED', 'PICKING', 'READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'COMPLETED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'AUTHORIZED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "FulfilmentType" AS ENUM ('PICKUP', 'DELIVERY');

-- CreateEnum
CREATE TYPE "PaymentProviderName" AS ENUM ('SIMULATOR', 'STRIPE', 'MOMO', 'CASH_ON_DELIVERY');

-- CreateEnum
CREATE TYPE "SubstitutionStatus" AS ENUM ('PROPOSED', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ReturnStatus" AS ENUM ('REQUESTED', 'RECEIVED', 'REFUNDED', 'REJECTED');

-- CreateTable
CREATE TABLE "outbox_event" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMP(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "processed_event" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "cart" (
    "id" UUID NOT NULL,
    "owner_id" TEXT,
    "location_id" TEXT,
    "fulfilment_type" "FulfilmentType" NOT NULL DEFAULT 'PICKUP',
    "coupon_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cart_line" (
    "id" UUID NOT NULL,
    "cart_id" UUID NOT NULL,
    "sku" TEXT,
    "bundle_id" TEXT,
    "quantity" INTEGER NOT NULL,
    "substitution" "SubstitutionPreference" NOT NULL DEFAULT 'BEST_MATCH',
    "substitute_sku" TEXT,
    "note" TEXT,
    "added_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cart_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkout" (
    "scope" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "request_hash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "refusal" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "checkout_pkey" PRIMARY KEY ("scope","idempotency_key")
);

-- CreateTable
CREATE TABLE "customer_order" (
    "id" UUID NOT NULL,
    "number" BIGSERIAL NOT NULL,
    "customer_id" TEXT,
    "email" TEXT,
    "access_token_hash" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "status" "OrderStatus" NOT NULL,
    "fulfilment_type" "FulfilmentType" NOT NULL,
    "location_id" TEXT NOT NULL,
    "address" JSONB,
    "coupon_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "subtotal" INTEGER NOT NULL,
    "discount" INTEGER NOT NULL,
    "delivery_fee" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "final_total" INTEGER,
    "currency" TEXT NOT NULL DEFAULT 'VND',
    "payment_due_at" TIMESTAMP(3),
    "placed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "cancel_reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_line" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "sku" TEXT,
    "bundle_id" TEXT,
    "components" JSONB,
    "name_en" TEXT NOT NULL,
    "name_vi" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "discount" INTEGER NOT NULL,
    "substitution" "SubstitutionPreference" NOT NULL,
    "substitute_sku" TEXT,
    "note" TEXT,
    "picked_quantity" INTEGER,
    "picked_total" INTEGER,
    "returned_quantity" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "substitution" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_position" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_vi" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" INTEGER NOT NULL,
    "status" "SubstitutionStatus" NOT NULL DEFAULT 'PROPOSED',
    "proposed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMP(3),

    CONSTRAINT "substitution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "provider" "PaymentProviderName" NOT NULL,
    "status" "PaymentStatus" NOT NULL,
    "amount" INTEGER NOT NULL,
    "captured" INTEGER NOT NULL DEFAULT 0,
    "refunded" INTEGER NOT NULL DEFAULT 0,
    "provider_ref" TEXT,
    "client_secret" TEXT,
    "redirect_url" TEXT,
    "failure_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_event" (
    "provider" "PaymentProviderName" NOT NULL,
    "event_id" TEXT NOT NULL,
    "payment_id" UUID NOT NULL,
    "status" "PaymentStatus",
    "applied" BOOLEAN NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_event_pkey" PRIMARY KEY ("provider","event_id")
);

-- CreateTable
CREATE TABLE "order_return" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "customer_id" TEXT,
    "status" "ReturnStatus" NOT NULL,
    "refund_total" INTEGER NOT NULL DEFAULT 0,
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "received_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "order_return_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_line" (
    "return_id" UUID NOT NULL,
    "line_position" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "received_quantity" INTEGER,
    "damaged_quantity" INTEGER,
    "restock" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "return_line_pkey" PRIMARY KEY ("return_id","line_position")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "outbox_event"("id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_seq_idx" ON "outbox_event"("published_at", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "cart_owner_id_key" ON "cart"("owner_id");

-- CreateIndex
CREATE INDEX "cart_expires_at_idx" ON "cart"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "cart_line_cart_id_sku_key" ON "cart_line"("cart_id", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "cart_line_cart_id_bundle_id_key" ON "cart_line"("cart_id", "bundle_id");

-- CreateIndex
CREATE INDEX "checkout_state_updated_at_idx" ON "checkout"("state", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "customer_order_number_key" ON "customer_order"("number");

-- CreateIndex
CREATE INDEX "customer_order_customer_id_placed_at_idx" ON "customer_order"("customer_id", "placed_at");

-- CreateIndex
CREATE INDEX "customer_order_status_payment_due_at_idx" ON "customer_order"("status", "payment_due_at");

-- CreateIndex
CREATE UNIQUE INDEX "order_line_order_id_position_key" ON "order_line"("order_id", "position");

-- CreateIndex
CREATE INDEX "substitution_order_id_idx" ON "substitution"("order_id");

-- CreateIndex
CREATE INDEX "payment_order_id_idx" ON "payment"("order_id");

-- CreateIndex
CREATE INDEX "payment_provider_provider_ref_idx" ON "payment"("provider", "provider_ref");

-- CreateIndex
CREATE INDEX "order_return_order_id_idx" ON "order_return"("order_id");

-- AddForeignKey
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_cart_id_fkey" FOREIGN KEY ("cart_id") REFERENCES "cart"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "customer_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "substitution" ADD CONSTRAINT "substitution_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "customer_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "customer_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "return_line" ADD CONSTRAINT "return_line_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "order_return"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Rules the rows keep whatever writes them.
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_one_item" CHECK ((sku IS NULL) <> (bundle_id IS NULL));
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_quantity" CHECK (quantity > 0);
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_quantity" CHECK (quantity > 0 AND returned_quantity >= 0);
ALTER TABLE "payment" ADD CONSTRAINT "payment_amounts" CHECK (amount >= 0 AND captured >= 0 AND captured <= amount AND refunded >= 0 AND refunded <= greatest(captured, 0));
ALTER TABLE "customer_order" ADD CONSTRAINT "order_amounts" CHECK (subtotal >= 0 AND discount >= 0 AND delivery_fee >= 0 AND total >= 0);
