-- Notifications (issue 11): contact data and per-channel consent on user, the notification outbox,
-- and dead letters for the users domain's durable consumers.
-- AlterTable
ALTER TABLE "user" ADD COLUMN     "locale" TEXT,
ADD COLUMN     "notify_email" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notify_sms" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "phone" TEXT;

-- CreateTable
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

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "order_id" TEXT,
    "customer_id" TEXT,
    "recipient" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_message_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP(3),
    "detail" TEXT,
    "event_time" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dead_letter_event_failed_at_idx" ON "dead_letter_event"("failed_at");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letter_event_consumer_event_id_key" ON "dead_letter_event"("consumer", "event_id");

-- CreateIndex
CREATE INDEX "notification_status_next_attempt_at_idx" ON "notification"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_order_id_idx" ON "notification"("order_id");

-- CreateIndex
CREATE INDEX "notification_recipient_idx" ON "notification"("recipient");

-- CreateIndex
CREATE INDEX "notification_provider_message_id_idx" ON "notification"("provider_message_id");

-- CreateIndex
CREATE INDEX "notification_created_at_idx" ON "notification"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notification_event_id_channel_key" ON "notification"("event_id", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "notification_dedupe_key_channel_key" ON "notification"("dedupe_key", "channel");


-- CreateCheck
ALTER TABLE "user" ADD CONSTRAINT "user_locale_check" CHECK ("locale" IS NULL OR "locale" IN ('en', 'vi'));
ALTER TABLE "notification" ADD CONSTRAINT "notification_channel_check" CHECK ("channel" IN ('EMAIL', 'SMS'));
ALTER TABLE "notification" ADD CONSTRAINT "notification_attempts_check" CHECK ("attempts" >= 0);
