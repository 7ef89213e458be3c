-- The stock level's version (stock.stock_level.version) the projection last applied. An event
-- carrying a lower or equal version is older than what is stored and changes nothing.
ALTER TABLE "product_stock" ADD COLUMN "version" BIGINT NOT NULL DEFAULT 0;
