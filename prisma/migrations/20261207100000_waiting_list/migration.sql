-- Waiting list: a signed-in shopper waits for seats of a sold-out event (or tier). Whenever seats
-- come back, the sweep offers them to the next in line: the best block of their quantity is held
-- for them for a while (an offer), and they are mailed. An offer not bought in time lapses and the
-- seats pass on. One entry per shopper and event while it waits or holds an offer.
CREATE TABLE "WaitingEntry" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "eventId" UUID NOT NULL,
  "userId" UUID NOT NULL,
  "quantity" INTEGER NOT NULL,
  "tierId" UUID,
  "status" VARCHAR(10) NOT NULL DEFAULT 'WAITING',
  "holdId" UUID,
  "offeredAt" TIMESTAMP(3),
  "offerExpiresAt" TIMESTAMP(3),
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "endedAt" TIMESTAMP(3),
  CONSTRAINT "WaitingEntry_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "WaitingEntry_quantity_check" CHECK ("quantity" BETWEEN 1 AND 10),
  CONSTRAINT "WaitingEntry_status_check" CHECK ("status" IN ('WAITING', 'OFFERED', 'BOUGHT', 'LAPSED', 'LEFT', 'REMOVED'))
);
CREATE UNIQUE INDEX "WaitingEntry_open_key" ON "WaitingEntry"("eventId", "userId") WHERE "status" IN ('WAITING', 'OFFERED');
CREATE INDEX "WaitingEntry_eventId_status_createdAt_idx" ON "WaitingEntry"("eventId", "status", "createdAt");
ALTER TABLE "WaitingEntry" ADD CONSTRAINT "WaitingEntry_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WaitingEntry" ADD CONSTRAINT "WaitingEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WaitingEntry" ADD CONSTRAINT "WaitingEntry_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "PriceTier"("id") ON DELETE SET NULL ON UPDATE CASCADE;
