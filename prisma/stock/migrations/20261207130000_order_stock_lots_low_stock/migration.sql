-- Stock for orders (holds keyed by order id), perishable lots with expiry, returns, low-stock
-- thresholds, and dead letters for the durable order-events consumer.

-- An order's hold on stock at one location. The order id is the key, so concurrent duplicate
-- reserveOrderStock calls for one order queue on it and can never hold twice.
CREATE TYPE "OrderStockStatus" AS ENUM ('RESERVED', 'ALLOCATED', 'RELEASED', 'EXPIRED', 'CONSUMED');

CREATE TABLE "order_reservation" (
    "order_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "status" "OrderStockStatus" NOT NULL,
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "order_reservation_pkey" PRIMARY KEY ("order_id")
);
ALTER TABLE "order_reservation" ADD CONSTRAINT "order_reservation_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- The sweeper's scan: RESERVED holds past their expiry.
CREATE INDEX "order_reservation_due_idx" ON "order_reservation" ("expires_at") WHERE "status" = 'RESERVED';

-- Its lines, one per SKU (the same SKU twice in a request is summed).
CREATE TABLE "order_reservation_line" (
    "order_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "order_reservation_line_pkey" PRIMARY KEY ("order_id", "sku")
);
ALTER TABLE "order_reservation_line" ADD CONSTRAINT "order_reservation_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order_reservation"("order_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "order_reservation_line" ADD CONSTRAINT "order_reservation_line_quantity_pos" CHECK ("quantity" > 0);

-- A received batch of a perishable SKU at a location: what is left of it and when it expires.
-- The lots of a (sku, location) hold at most its on-hand units: units in no lot are untracked.
CREATE TABLE "stock_lot" (
    "id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_lot_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "stock_lot" ADD CONSTRAINT "stock_lot_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "stock_lot" ADD CONSTRAINT "stock_lot_quantity_nonneg" CHECK ("quantity" >= 0);
-- Live lots of a level in first-expiry-first-out order, and the expiry job's scan.
CREATE INDEX "stock_lot_live_idx" ON "stock_lot" ("sku", "location_id", "expires_at") WHERE "quantity" > 0;
CREATE INDEX "stock_lot_due_idx" ON "stock_lot" ("expires_at") WHERE "quantity" > 0;

-- Returns already put back on the shelf (restockReturn is idempotent by return id).
CREATE TABLE "stock_return" (
    "return_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_return_pkey" PRIMARY KEY ("return_id")
);

-- Below this many available units a level is "low" (stock.low when a change crosses it).
ALTER TABLE "location" ADD COLUMN "low_stock_threshold" INTEGER NOT NULL DEFAULT 5;
ALTER TABLE "location" ADD CONSTRAINT "location_low_stock_threshold_range" CHECK ("low_stock_threshold" >= 0 AND "low_stock_threshold" <= 100000);
-- lowStock(locationId): a location's levels by available units.
CREATE INDEX "stock_level_location_available_idx" ON "stock_level" ("location_id", ((on_hand - reserved)), "sku");

-- Events a durable consumer of this domain gave up on after EVENT_MAX_ATTEMPTS
-- (platform/src/events/dead-letters.ts): listed and replayed by staff (pnpm ops dead-letters).
CREATE TABLE "dead_letter_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "consumer" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failed_at" TIMESTAMP(3) NOT NULL,
    "replay_requested_at" TIMESTAMP(3),
    "resolved_at" TIMESTAMP(3),
    "resolution" TEXT,

    CONSTRAINT "dead_letter_event_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "dead_letter_event_consumer_event_id_key" ON "dead_letter_event"("consumer", "event_id");
CREATE INDEX "dead_letter_event_failed_at_idx" ON "dead_letter_event"("failed_at");
