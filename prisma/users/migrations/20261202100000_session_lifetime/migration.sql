-- Sessions get an absolute end: every refresh token carries its family's, fixed at log-in.
-- Families that exist already end when their current tokens do (no session is lengthened).
ALTER TABLE "refresh_token" ADD COLUMN "family_expires_at" TIMESTAMP(3);
UPDATE "refresh_token" t
   SET "family_expires_at" = f.last_expiry
  FROM (SELECT "family_id", max("expires_at") AS last_expiry FROM "refresh_token" GROUP BY "family_id") f
 WHERE f."family_id" = t."family_id";
ALTER TABLE "refresh_token" ALTER COLUMN "family_expires_at" SET NOT NULL;
ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_within_family" CHECK ("expires_at" <= "family_expires_at");
