-- Per-customer caps count a customer's active reservations on every reserveStock.
CREATE INDEX "reservation_owner_active_idx" ON "reservation" ("owner_id") WHERE "status" = 'ACTIVE';
