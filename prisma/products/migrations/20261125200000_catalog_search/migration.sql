-- Catalog search: the product columns the seed already generates, and folded search columns.
-- Prisma's migration executor splits this file at every semicolon (comments included), so the
-- two functions are single SELECTs with none inside their bodies.

-- CreateExtension (in public: every domain's connection has search_path <domain>,public)
CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA "public";
CREATE EXTENSION IF NOT EXISTS "unaccent" WITH SCHEMA "public";

-- Folds text for matching: lower case, no diacritics (unaccent also maps đ/Đ to d), y -> i
-- (Vietnamese spells "mì"/"mỳ", "kĩ"/"kỹ" either way), punctuation -> single spaces.
-- unaccent() is only STABLE (its dictionary could change), naming the dictionary explicitly
-- makes the result fixed, so IMMUTABLE is honest and generated columns and indexes can use it.
CREATE OR REPLACE FUNCTION "products"."search_fold"(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT btrim(regexp_replace(translate(lower(public.unaccent('public.unaccent'::regdictionary, $1)), 'đy', 'di'), '[^a-z0-9]+', ' ', 'g')) $$;

CREATE OR REPLACE FUNCTION "products"."search_fold_tags"(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT products.search_fold(array_to_string($1, ' ')) $$;

-- Each part of a category name, folded: "Cà phê & Trà" -> {ca phe, tra}.
CREATE OR REPLACE FUNCTION "products"."search_fold_parts"(text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT array_agg(products.search_fold(part)) FROM regexp_split_to_table($1, '&') AS part $$;

-- AlterTable
ALTER TABLE "product" ADD COLUMN "description_en" TEXT,
ADD COLUMN "description_vi" TEXT,
ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "dietary" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "manufacturer" TEXT,
ADD COLUMN "image_urls" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "expires_at" TIMESTAMP(3),
ADD COLUMN "shelf_life_days" INTEGER;

-- Generated search columns: always consistent with the row, whoever writes it.
ALTER TABLE "product"
ADD COLUMN "search_name_en" TEXT GENERATED ALWAYS AS (products.search_fold("name_en")) STORED,
ADD COLUMN "search_name_vi" TEXT GENERATED ALWAYS AS (products.search_fold("name_vi")) STORED,
ADD COLUMN "search_brand" TEXT GENERATED ALWAYS AS (products.search_fold(coalesce("brand", '') || ' ' || coalesce("manufacturer", ''))) STORED,
ADD COLUMN "search_tags" TEXT GENERATED ALWAYS AS (products.search_fold_tags("tags")) STORED,
ADD COLUMN "search_vector" TSVECTOR GENERATED ALWAYS AS (
  setweight(to_tsvector('simple'::regconfig, products.search_fold("name_vi" || ' ' || "name_en")), 'A') ||
  setweight(to_tsvector('simple'::regconfig, products.search_fold(coalesce("brand", '') || ' ' || coalesce("manufacturer", ''))), 'B') ||
  setweight(to_tsvector('simple'::regconfig, products.search_fold_tags("tags")), 'C') ||
  setweight(to_tsvector('simple'::regconfig, products.search_fold(coalesce("description_en", '') || ' ' || coalesce("description_vi", ''))), 'D')
) STORED;

ALTER TABLE "category"
ADD COLUMN "search_name" TEXT GENERATED ALWAYS AS (products.search_fold("name_vi" || ' ' || "name_en")) STORED,
ADD COLUMN "search_parts" TEXT[] GENERATED ALWAYS AS (products.search_fold_parts("name_vi" || '&' || "name_en")) STORED;

-- CreateIndex
CREATE INDEX "product_search_name_vi_trgm_idx" ON "product" USING GIN ("search_name_vi" public.gin_trgm_ops);
CREATE INDEX "product_search_name_en_trgm_idx" ON "product" USING GIN ("search_name_en" public.gin_trgm_ops);
CREATE INDEX "product_search_vector_idx" ON "product" USING GIN ("search_vector");
