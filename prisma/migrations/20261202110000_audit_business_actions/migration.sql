-- The audit log records business actions too (events, prices, seats, orders, check-ins), so each
-- row can say who acted ("actorId", when not the account itself), and which event and order it
-- concerns. No foreign keys: the log outlives what it names.

-- AlterTable
ALTER TABLE "AuthEvent" ADD COLUMN "actorId" UUID,
ADD COLUMN "eventId" UUID,
ADD COLUMN "orderId" UUID;

-- Earlier rows kept the acting admin in detail.by.
UPDATE "AuthEvent" SET "actorId" = ("detail"->>'by')::uuid
WHERE jsonb_typeof("detail"->'by') = 'string' AND ("detail"->>'by') ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

-- CreateIndex
CREATE INDEX "AuthEvent_actorId_createdAt_idx" ON "AuthEvent"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuthEvent_eventId_createdAt_idx" ON "AuthEvent"("eventId", "createdAt");
