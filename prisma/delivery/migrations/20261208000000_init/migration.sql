-- Delivery: wards, zones, slot templates, slots, closures, holds (issue 11).
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "delivery";

-- CreateEnum
CREATE TYPE "SlotKind" AS ENUM ('DELIVERY', 'PICKUP');

-- CreateEnum
CREATE TYPE "HoldStatus" AS ENUM ('HELD', 'BOOKED', 'RELEASED', 'EXPIRED');

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
CREATE TABLE "ward" (
    "code" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "name_vi" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,

    CONSTRAINT "ward_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "delivery_zone" (
    "id" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "name_vi" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "location_ids" TEXT[],
    "providers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "zone_ward" (
    "ward_code" TEXT NOT NULL,
    "zone_id" TEXT NOT NULL,

    CONSTRAINT "zone_ward_pkey" PRIMARY KEY ("ward_code")
);

-- CreateTable
CREATE TABLE "slot_template" (
    "id" UUID NOT NULL,
    "kind" "SlotKind" NOT NULL,
    "zone_id" TEXT,
    "location_id" TEXT,
    "weekdays" INTEGER[],
    "start_minute" INTEGER NOT NULL,
    "end_minute" INTEGER NOT NULL,
    "window_minutes" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "item_capacity" INTEGER,
    "cutoff_minutes" INTEGER NOT NULL,
    "express" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "slot_template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slot" (
    "id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "kind" "SlotKind" NOT NULL,
    "zone_id" TEXT,
    "location_id" TEXT,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "item_capacity" INTEGER,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "taken_items" INTEGER NOT NULL DEFAULT 0,
    "cutoff_at" TIMESTAMP(3) NOT NULL,
    "express" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "closure" (
    "id" UUID NOT NULL,
    "zone_id" TEXT,
    "location_id" TEXT,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "reason_vi" TEXT NOT NULL,
    "reason_en" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "closure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slot_hold" (
    "id" UUID NOT NULL,
    "slot_id" UUID NOT NULL,
    "customer_id" TEXT,
    "client_key" TEXT NOT NULL,
    "items" INTEGER NOT NULL DEFAULT 0,
    "status" "HoldStatus" NOT NULL,
    "order_id" UUID,
    "details" JSONB,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "slot_hold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "outbox_event"("id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_seq_idx" ON "outbox_event"("published_at", "seq");

-- CreateIndex
CREATE INDEX "ward_province_idx" ON "ward"("province");

-- CreateIndex
CREATE INDEX "zone_ward_zone_id_idx" ON "zone_ward"("zone_id");

-- CreateIndex
CREATE INDEX "slot_template_zone_id_idx" ON "slot_template"("zone_id");

-- CreateIndex
CREATE INDEX "slot_template_location_id_idx" ON "slot_template"("location_id");

-- CreateIndex
CREATE INDEX "slot_zone_id_starts_at_idx" ON "slot"("zone_id", "starts_at");

-- CreateIndex
CREATE INDEX "slot_location_id_starts_at_idx" ON "slot"("location_id", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "slot_template_id_starts_at_key" ON "slot"("template_id", "starts_at");

-- CreateIndex
CREATE INDEX "closure_starts_at_ends_at_idx" ON "closure"("starts_at", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "slot_hold_order_id_key" ON "slot_hold"("order_id");

-- CreateIndex
CREATE INDEX "slot_hold_status_expires_at_idx" ON "slot_hold"("status", "expires_at");

-- CreateIndex
CREATE INDEX "slot_hold_client_key_status_idx" ON "slot_hold"("client_key", "status");

-- AddForeignKey
ALTER TABLE "zone_ward" ADD CONSTRAINT "zone_ward_ward_code_fkey" FOREIGN KEY ("ward_code") REFERENCES "ward"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "zone_ward" ADD CONSTRAINT "zone_ward_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "delivery_zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slot" ADD CONSTRAINT "slot_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "slot_template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slot_hold" ADD CONSTRAINT "slot_hold_slot_id_fkey" FOREIGN KEY ("slot_id") REFERENCES "slot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Never overbooked, whatever the code above does: the database refuses it.
ALTER TABLE "slot" ADD CONSTRAINT "slot_taken_within_capacity" CHECK ("taken" >= 0 AND "taken" <= "capacity");
ALTER TABLE "slot" ADD CONSTRAINT "slot_items_within_capacity" CHECK ("taken_items" >= 0 AND ("item_capacity" IS NULL OR "taken_items" <= "item_capacity"));
ALTER TABLE "slot_template" ADD CONSTRAINT "slot_template_window" CHECK ("start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute" AND "window_minutes" > 0 AND "capacity" >= 0 AND "cutoff_minutes" >= 0);
ALTER TABLE "closure" ADD CONSTRAINT "closure_interval" CHECK ("starts_at" < "ends_at");

-- Reference data: wards after the 2025 reform (province → ward), in the zones served from the
-- seeded stock locations. Codes are our own stable slugs (the official ward codes are not used).
INSERT INTO "ward" ("code", "province", "name_vi", "name_en") VALUES
  ('hcm-sai-gon', 'HCM', 'Phường Sài Gòn', 'Sai Gon Ward'),
  ('hcm-ben-thanh', 'HCM', 'Phường Bến Thành', 'Ben Thanh Ward'),
  ('hcm-tan-dinh', 'HCM', 'Phường Tân Định', 'Tan Dinh Ward'),
  ('hcm-cau-ong-lanh', 'HCM', 'Phường Cầu Ông Lãnh', 'Cau Ong Lanh Ward'),
  ('hcm-ban-co', 'HCM', 'Phường Bàn Cờ', 'Ban Co Ward'),
  ('hcm-xuan-hoa', 'HCM', 'Phường Xuân Hòa', 'Xuan Hoa Ward'),
  ('hcm-nhieu-loc', 'HCM', 'Phường Nhiêu Lộc', 'Nhieu Loc Ward'),
  ('hcm-tan-thuan', 'HCM', 'Phường Tân Thuận', 'Tan Thuan Ward'),
  ('hcm-phu-thuan', 'HCM', 'Phường Phú Thuận', 'Phu Thuan Ward'),
  ('hcm-tan-my', 'HCM', 'Phường Tân Mỹ', 'Tan My Ward'),
  ('hcm-tan-hung', 'HCM', 'Phường Tân Hưng', 'Tan Hung Ward'),
  ('hcm-binh-thanh', 'HCM', 'Phường Bình Thạnh', 'Binh Thanh Ward'),
  ('hcm-gia-dinh', 'HCM', 'Phường Gia Định', 'Gia Dinh Ward'),
  ('hcm-thanh-my-tay', 'HCM', 'Phường Thạnh Mỹ Tây', 'Thanh My Tay Ward'),
  ('hcm-tan-son-nhat', 'HCM', 'Phường Tân Sơn Nhất', 'Tan Son Nhat Ward'),
  ('hcm-bay-hien', 'HCM', 'Phường Bảy Hiền', 'Bay Hien Ward'),
  ('hcm-thu-duc', 'HCM', 'Phường Thủ Đức', 'Thu Duc Ward'),
  ('hcm-linh-xuan', 'HCM', 'Phường Linh Xuân', 'Linh Xuan Ward'),
  ('hcm-hiep-binh', 'HCM', 'Phường Hiệp Bình', 'Hiep Binh Ward'),
  ('hn-hoan-kiem', 'HN', 'Phường Hoàn Kiếm', 'Hoan Kiem Ward'),
  ('hn-cua-nam', 'HN', 'Phường Cửa Nam', 'Cua Nam Ward'),
  ('hn-ba-dinh', 'HN', 'Phường Ba Đình', 'Ba Dinh Ward'),
  ('hn-ngoc-ha', 'HN', 'Phường Ngọc Hà', 'Ngoc Ha Ward'),
  ('hn-giang-vo', 'HN', 'Phường Giảng Võ', 'Giang Vo Ward'),
  ('hn-dong-da', 'HN', 'Phường Đống Đa', 'Dong Da Ward'),
  ('hn-kim-lien', 'HN', 'Phường Kim Liên', 'Kim Lien Ward'),
  ('hn-lang', 'HN', 'Phường Láng', 'Lang Ward'),
  ('hn-cau-giay', 'HN', 'Phường Cầu Giấy', 'Cau Giay Ward'),
  ('hn-nghia-do', 'HN', 'Phường Nghĩa Đô', 'Nghia Do Ward'),
  ('hn-yen-hoa', 'HN', 'Phường Yên Hòa', 'Yen Hoa Ward'),
  ('hn-long-bien', 'HN', 'Phường Long Biên', 'Long Bien Ward'),
  ('hn-bo-de', 'HN', 'Phường Bồ Đề', 'Bo De Ward'),
  ('hn-viet-hung', 'HN', 'Phường Việt Hưng', 'Viet Hung Ward');

INSERT INTO "delivery_zone" ("id", "province", "name_vi", "name_en", "location_ids", "providers") VALUES
  ('hcm-central', 'HCM', 'TP. Hồ Chí Minh – trung tâm', 'Ho Chi Minh City – centre', ARRAY['hcm-store-q1', 'hcm-store-q3', 'hcm-warehouse-thu-duc'], ARRAY['GRAB', 'GHN', 'VIETTELPOST']),
  ('hcm-south', 'HCM', 'TP. Hồ Chí Minh – phía Nam', 'Ho Chi Minh City – south', ARRAY['hcm-store-q7', 'hcm-warehouse-thu-duc'], ARRAY['GRAB', 'GHN', 'VIETTELPOST']),
  ('hcm-north', 'HCM', 'TP. Hồ Chí Minh – phía Bắc', 'Ho Chi Minh City – north', ARRAY['hcm-store-binh-thanh', 'hcm-warehouse-thu-duc'], ARRAY['GRAB', 'GHN', 'VIETTELPOST']),
  ('hn-central', 'HN', 'Hà Nội – trung tâm', 'Hanoi – centre', ARRAY['hn-store-hoan-kiem', 'hn-store-ba-dinh', 'hn-warehouse-long-bien'], ARRAY['GRAB', 'VIETTELPOST', 'GHN']),
  ('hn-west', 'HN', 'Hà Nội – phía Tây', 'Hanoi – west', ARRAY['hn-store-cau-giay', 'hn-warehouse-long-bien'], ARRAY['GRAB', 'VIETTELPOST', 'GHN']),
  ('hn-east', 'HN', 'Hà Nội – phía Đông', 'Hanoi – east', ARRAY['hn-warehouse-long-bien'], ARRAY['VIETTELPOST', 'GHN', 'GRAB']);

INSERT INTO "zone_ward" ("ward_code", "zone_id") VALUES
  ('hcm-sai-gon', 'hcm-central'), ('hcm-ben-thanh', 'hcm-central'), ('hcm-tan-dinh', 'hcm-central'),
  ('hcm-cau-ong-lanh', 'hcm-central'), ('hcm-ban-co', 'hcm-central'), ('hcm-xuan-hoa', 'hcm-central'),
  ('hcm-nhieu-loc', 'hcm-central'),
  ('hcm-tan-thuan', 'hcm-south'), ('hcm-phu-thuan', 'hcm-south'), ('hcm-tan-my', 'hcm-south'), ('hcm-tan-hung', 'hcm-south'),
  ('hcm-binh-thanh', 'hcm-north'), ('hcm-gia-dinh', 'hcm-north'), ('hcm-thanh-my-tay', 'hcm-north'),
  ('hcm-tan-son-nhat', 'hcm-north'), ('hcm-bay-hien', 'hcm-north'), ('hcm-thu-duc', 'hcm-north'),
  ('hcm-linh-xuan', 'hcm-north'), ('hcm-hiep-binh', 'hcm-north'),
  ('hn-hoan-kiem', 'hn-central'), ('hn-cua-nam', 'hn-central'), ('hn-ba-dinh', 'hn-central'), ('hn-ngoc-ha', 'hn-central'),
  ('hn-giang-vo', 'hn-central'), ('hn-dong-da', 'hn-central'), ('hn-kim-lien', 'hn-central'), ('hn-lang', 'hn-central'),
  ('hn-cau-giay', 'hn-west'), ('hn-nghia-do', 'hn-west'), ('hn-yen-hoa', 'hn-west'),
  ('hn-long-bien', 'hn-east'), ('hn-bo-de', 'hn-east'), ('hn-viet-hung', 'hn-east');

-- Every zone: 2-hour windows 07:00–21:00 every day, 20 orders each, same-day cut-off 60 minutes
-- before the window, and a 1-hour express window 10:00–20:00 for the centres (8 orders, 30 min).
INSERT INTO "slot_template" ("id", "kind", "zone_id", "weekdays", "start_minute", "end_minute", "window_minutes", "capacity", "cutoff_minutes", "express", "updated_at")
SELECT gen_random_uuid(), 'DELIVERY', "id", ARRAY[1, 2, 3, 4, 5, 6, 7], 420, 1260, 120, 20, 60, false, now() FROM "delivery_zone";
INSERT INTO "slot_template" ("id", "kind", "zone_id", "weekdays", "start_minute", "end_minute", "window_minutes", "capacity", "cutoff_minutes", "express", "updated_at")
SELECT gen_random_uuid(), 'DELIVERY', "id", ARRAY[1, 2, 3, 4, 5, 6, 7], 600, 1200, 60, 8, 30, true, now() FROM "delivery_zone" WHERE "id" IN ('hcm-central', 'hn-central');

-- Pickup at the seeded stores and pickup points: 2-hour windows 08:00–20:00, 30 orders each.
INSERT INTO "slot_template" ("id", "kind", "location_id", "weekdays", "start_minute", "end_minute", "window_minutes", "capacity", "cutoff_minutes", "express", "updated_at")
SELECT gen_random_uuid(), 'PICKUP', l, ARRAY[1, 2, 3, 4, 5, 6, 7], 480, 1200, 120, 30, 60, false, now()
FROM unnest(ARRAY['hcm-store-q1', 'hcm-store-q3', 'hcm-store-q7', 'hcm-store-binh-thanh', 'hcm-pickup-tan-binh',
                  'hn-store-hoan-kiem', 'hn-store-cau-giay', 'hn-store-ba-dinh', 'hn-pickup-dong-da']) AS l;
