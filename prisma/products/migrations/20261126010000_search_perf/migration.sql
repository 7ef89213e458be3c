-- Search speed: the typo-tolerant look-alike lookup as functions that carry their own settings,
-- so a search is one statement (no transaction to set pg_trgm thresholds first). No semicolons
-- inside comments or bodies: the executor splits the file at every one.

-- SKUs whose folded Vietnamese or English name contains a stretch of whole words that looks like
-- the folded query ($1 <<% name, strict word similarity). A one-letter typo in a one-word query
-- scores about 0.5 ("heiniken" 0.5, "choclate" 0.58), so one word needs 0.48. A longer query
-- with a typo still scores 0.7 or more, while one that merely shares a common word ("trai cay"
-- vs "tui 3 trai", "nuoc tuong" vs "nuoc mam") scores 0.45 to 0.5, hence 0.6 for several words.
-- The planner costs pg_trgm's operators like = and would rather evaluate the similarity on
-- every row than use the GIN indexes, hence sequential scans off, and JIT off because the
-- inflated costs would trigger a compile costing a second.
CREATE OR REPLACE FUNCTION "products"."search_word_lookalikes"(text) RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE STRICT
  SET pg_trgm.strict_word_similarity_threshold = 0.48
  SET enable_seqscan = off
  SET jit = off
  AS $$ SELECT ARRAY(SELECT sku FROM products.product WHERE $1 <<% search_name_vi UNION SELECT sku FROM products.product WHERE $1 <<% search_name_en) $$;

CREATE OR REPLACE FUNCTION "products"."search_phrase_lookalikes"(text) RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE STRICT
  SET pg_trgm.strict_word_similarity_threshold = 0.6
  SET enable_seqscan = off
  SET jit = off
  AS $$ SELECT ARRAY(SELECT sku FROM products.product WHERE $1 <<% search_name_vi UNION SELECT sku FROM products.product WHERE $1 <<% search_name_en) $$;
