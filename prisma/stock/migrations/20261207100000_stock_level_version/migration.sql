-- A per-(sku, location) version that every change to a stock level raises by one (each UPDATE of
-- stock_level sets version = version + 1: subgraphs/stock/src/data). Changes to one row are
-- serialised by its row lock, so versions follow commit order, which event times (now() is the
-- transaction's start) do not: consumers keep the highest version they saw.
ALTER TABLE "stock_level" ADD COLUMN "version" BIGINT NOT NULL DEFAULT 1;
