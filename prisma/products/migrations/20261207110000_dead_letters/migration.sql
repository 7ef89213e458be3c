-- Events a durable consumer of this domain gave up on after EVENT_MAX_ATTEMPTS
-- (platform/src/events/dead-letters.ts): listed and replayed by staff (pnpm ops dead-letters).
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

CREATE UNIQUE INDEX "dead_letter_event_consumer_event_id_key" ON "dead_letter_event"("consumer", "event_id");
CREATE INDEX "dead_letter_event_failed_at_idx" ON "dead_letter_event"("failed_at");
