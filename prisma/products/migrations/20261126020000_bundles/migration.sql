-- Bundles (meal kits): a kit of SKUs and quantities with its own price. The CHECKs repeat the
-- domain's rules (domain/bundle.ts) so a row written by any path stays sane. No semicolons
-- inside comments: the executor splits the file at every one.

-- CreateTable
CREATE TABLE "bundle" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_vi" TEXT NOT NULL,
    "description_en" TEXT,
    "description_vi" TEXT,
    "price_amount" BIGINT NOT NULL,
    "price_currency" CHAR(3) NOT NULL DEFAULT 'VND',
    "image_urls" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "archived_at" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "bundle_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bundle_price_amount_check" CHECK ("price_amount" >= 0 AND "price_amount" <= 1000000000),
    CONSTRAINT "bundle_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length("slug") <= 80),
    CONSTRAINT "bundle_name_check" CHECK (char_length(btrim("name_en")) BETWEEN 1 AND 200 AND char_length(btrim("name_vi")) BETWEEN 1 AND 200),
    CONSTRAINT "bundle_version_check" CHECK ("version" >= 1)
);

-- CreateTable
CREATE TABLE "bundle_item" (
    "bundle_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "bundle_item_pkey" PRIMARY KEY ("bundle_id", "sku"),
    CONSTRAINT "bundle_item_quantity_check" CHECK ("quantity" BETWEEN 1 AND 99)
);

-- CreateIndex
CREATE UNIQUE INDEX "bundle_slug_key" ON "bundle"("slug");

-- CreateIndex: the active listing pages by slug
CREATE INDEX "bundle_active_slug_idx" ON "bundle"("slug") WHERE "archived_at" IS NULL;

-- CreateIndex: which kits hold a product
CREATE INDEX "bundle_item_sku_idx" ON "bundle_item"("sku");

-- AddForeignKey
ALTER TABLE "bundle_item" ADD CONSTRAINT "bundle_item_bundle_id_fkey" FOREIGN KEY ("bundle_id") REFERENCES "bundle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bundle_item" ADD CONSTRAINT "bundle_item_sku_fkey" FOREIGN KEY ("sku") REFERENCES "product"("sku") ON DELETE RESTRICT ON UPDATE CASCADE;
