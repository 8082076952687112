-- Partial refunds: staff refund some tickets of a paid order. Their seats go back on sale, the
-- tickets stop opening the door, and the order keeps its other tickets with what was refunded so
-- far in "refundedCents" (a fully cancelled paid order has refunded its whole total). The mail job
-- carries what one refund returned (which tickets, how much), for the buyer's mail.
ALTER TYPE "MailKind" ADD VALUE 'TICKETS_REFUNDED';

ALTER TABLE "Order" ADD COLUMN "refundedCents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Order" ADD CONSTRAINT "Order_refundedCents_check" CHECK ("refundedCents" BETWEEN 0 AND "totalCents");
-- Every paid order cancelled so far was refunded in full.
UPDATE "Order" SET "refundedCents" = "totalCents" WHERE status = 'CANCELLED' AND "paidAt" IS NOT NULL;

ALTER TABLE "MailJob" ADD COLUMN "detail" JSONB;
