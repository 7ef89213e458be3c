-- Shipments: deliveries of confirmed orders and return pickups, the courier notifications applied
-- to them (deduplicated per provider and event id), courier positions, and the dispatch points
-- couriers collect from (issue 11).

-- CreateTable
CREATE TABLE "dispatch_point" (
    "location_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "ward" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dispatch_point_pkey" PRIMARY KEY ("location_id")
);

-- CreateTable
CREATE TABLE "shipment" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "return_id" TEXT,
    "customer_id" TEXT,
    "zone_id" TEXT,
    "location_id" TEXT NOT NULL,
    "window_starts_at" TIMESTAMP(3),
    "window_ends_at" TIMESTAMP(3),
    "service" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_rank" INTEGER NOT NULL DEFAULT 0,
    "status_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider" TEXT,
    "provider_ref" TEXT,
    "left_providers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tracking_url" TEXT,
    "eta" TIMESTAMP(3),
    "courier_name" TEXT,
    "courier_phone" TEXT,
    "courier_vehicle" TEXT,
    "fee" INTEGER,
    "request" JSONB NOT NULL,
    "ready_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3),
    "last_error" TEXT,
    "reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_event" (
    "id" BIGSERIAL NOT NULL,
    "shipment_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "provider_status" TEXT,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "shipment_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_position" (
    "id" BIGSERIAL NOT NULL,
    "shipment_id" UUID NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shipment_position_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "shipment_key_key" ON "shipment"("key");

-- CreateIndex
CREATE INDEX "shipment_order_id_idx" ON "shipment"("order_id");

-- CreateIndex
CREATE INDEX "shipment_status_next_attempt_at_idx" ON "shipment"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_provider_provider_ref_key" ON "shipment"("provider", "provider_ref");

-- CreateIndex
CREATE INDEX "shipment_event_shipment_id_occurred_at_idx" ON "shipment_event"("shipment_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_event_provider_event_id_key" ON "shipment_event"("provider", "event_id");

-- CreateIndex
CREATE INDEX "shipment_position_shipment_id_at_idx" ON "shipment_position"("shipment_id", "at");

-- AddForeignKey
ALTER TABLE "shipment_event" ADD CONSTRAINT "shipment_event_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_position" ADD CONSTRAINT "shipment_position_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;


ALTER TABLE "shipment" ADD CONSTRAINT "shipment_purpose" CHECK ("purpose" IN ('delivery', 'return'));
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_status" CHECK ("status" IN ('PENDING', 'BOOKED', 'COURIER_ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'FAILED', 'RETURNED', 'CANCELLED'));
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_booked_has_courier" CHECK ("status" IN ('PENDING', 'CANCELLED') OR ("provider" IS NOT NULL AND "provider_ref" IS NOT NULL));
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_fee" CHECK ("fee" IS NULL OR "fee" >= 0);
ALTER TABLE "shipment_event" ADD CONSTRAINT "shipment_event_outcome" CHECK ("outcome" IN ('APPLIED', 'STALE', 'FOREIGN'));
CREATE INDEX "shipment_due_idx" ON "shipment" ("next_attempt_at") WHERE "status" = 'PENDING' AND "ready_at" IS NOT NULL;

-- The seeded stock locations (seed/src/locations.ts) as couriers see them.
INSERT INTO "dispatch_point" ("location_id", "name", "phone", "address", "ward", "province", "latitude", "longitude") VALUES
  ('hcm-store-q1', 'Cửa hàng Quận 1', '02838000001', '135 Nam Kỳ Khởi Nghĩa', 'Phường Bến Thành', 'TP. Hồ Chí Minh', 10.7745, 106.6999),
  ('hcm-store-q3', 'Cửa hàng Quận 3', '02838000003', '220 Võ Văn Tần', 'Phường Xuân Hòa', 'TP. Hồ Chí Minh', 10.7769, 106.6904),
  ('hcm-store-q7', 'Cửa hàng Quận 7', '02838000007', '1058 Nguyễn Văn Linh', 'Phường Tân Mỹ', 'TP. Hồ Chí Minh', 10.7296, 106.7216),
  ('hcm-store-binh-thanh', 'Cửa hàng Bình Thạnh', '02838000022', '208 Nguyễn Hữu Cảnh', 'Phường Thạnh Mỹ Tây', 'TP. Hồ Chí Minh', 10.7935, 106.7219),
  ('hcm-warehouse-thu-duc', 'Kho Thủ Đức', '02838000099', 'Lô C-12, Khu chế xuất Linh Trung 2', 'Phường Đông Hòa', 'TP. Hồ Chí Minh', 10.87, 106.7334),
  ('hcm-pickup-tan-binh', 'Điểm nhận hàng Tân Bình', '02838000004', '15 Cộng Hòa', 'Phường Tân Sơn Hòa', 'TP. Hồ Chí Minh', 10.8015, 106.6526),
  ('hn-store-hoan-kiem', 'Cửa hàng Hoàn Kiếm', '02438000001', '36 Hàng Bài', 'Phường Cửa Nam', 'Hà Nội', 21.0227, 105.8524),
  ('hn-store-cau-giay', 'Cửa hàng Cầu Giấy', '02438000002', '88 Trần Duy Hưng', 'Phường Yên Hòa', 'Hà Nội', 21.0075, 105.799),
  ('hn-store-ba-dinh', 'Cửa hàng Ba Đình', '02438000003', '24 Liễu Giai', 'Phường Ngọc Hà', 'Hà Nội', 21.0352, 105.8146),
  ('hn-warehouse-long-bien', 'Kho Long Biên', '02438000099', 'Lô CN5, Khu công nghiệp Sài Đồng B', 'Phường Phúc Lợi', 'Hà Nội', 21.032, 105.915),
  ('hn-pickup-dong-da', 'Điểm nhận hàng Đống Đa', '02438000004', '102 Thái Thịnh', 'Phường Đống Đa', 'Hà Nội', 21.0105, 105.8185);
