-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('DRAFT', 'ON_SALE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SeatStatus" AS ENUM ('AVAILABLE', 'RESERVED', 'SOLD');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PAID', 'CANCELLED');

-- CreateEnum
CREATE TYPE "IssuedTicketStatus" AS ENUM ('VALID', 'CHECKED_IN', 'CANCELLED');

-- CreateTable
CREATE TABLE "Event" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" VARCHAR(5000) NOT NULL DEFAULT '',
    "venue" VARCHAR(200) NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "imageUrl" VARCHAR(500),
    "status" "EventStatus" NOT NULL DEFAULT 'DRAFT',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceTier" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,

    CONSTRAINT "PriceTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupDiscount" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "minQuantity" INTEGER NOT NULL,
    "percentOff" INTEGER NOT NULL,

    CONSTRAINT "GroupDiscount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "eventId" UUID NOT NULL,
    "rowName" VARCHAR(10) NOT NULL,
    "seatNumber" INTEGER NOT NULL,
    "tierId" UUID NOT NULL,
    "status" "SeatStatus" NOT NULL DEFAULT 'AVAILABLE',
    "holdId" UUID,
    "heldById" UUID,
    "holdExpiresAt" TIMESTAMP(3),
    "orderId" UUID,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("eventId","rowName","seatNumber")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL,
    "userId" UUID,
    "eventId" UUID NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PAID',
    "subtotalCents" INTEGER NOT NULL,
    "discountCents" INTEGER NOT NULL,
    "totalCents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "idempotencyKey" VARCHAR(100) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IssuedTicket" (
    "id" UUID NOT NULL,
    "barcode" VARCHAR(64) NOT NULL,
    "orderId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "rowName" VARCHAR(10) NOT NULL,
    "seatNumber" INTEGER NOT NULL,
    "tierName" VARCHAR(60) NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "IssuedTicketStatus" NOT NULL DEFAULT 'VALID',
    "checkedInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IssuedTicket_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Event_status_startsAt_idx" ON "Event"("status", "startsAt");

-- CreateIndex
CREATE INDEX "Event_startsAt_id_idx" ON "Event"("startsAt", "id");

-- CreateIndex
CREATE INDEX "PriceTier_eventId_idx" ON "PriceTier"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "PriceTier_eventId_name_key" ON "PriceTier"("eventId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "GroupDiscount_eventId_minQuantity_key" ON "GroupDiscount"("eventId", "minQuantity");

-- CreateIndex
CREATE INDEX "Ticket_holdId_idx" ON "Ticket"("holdId");

-- CreateIndex
CREATE INDEX "Ticket_heldById_idx" ON "Ticket"("heldById");

-- CreateIndex
CREATE INDEX "Ticket_orderId_idx" ON "Ticket"("orderId");

-- CreateIndex
CREATE INDEX "Ticket_status_holdExpiresAt_idx" ON "Ticket"("status", "holdExpiresAt");

-- CreateIndex
CREATE INDEX "Order_eventId_createdAt_idx" ON "Order"("eventId", "createdAt");

-- CreateIndex
CREATE INDEX "Order_createdAt_id_idx" ON "Order"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Order_userId_idempotencyKey_key" ON "Order"("userId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "IssuedTicket_barcode_key" ON "IssuedTicket"("barcode");

-- CreateIndex
CREATE INDEX "IssuedTicket_orderId_idx" ON "IssuedTicket"("orderId");

-- CreateIndex
CREATE INDEX "IssuedTicket_eventId_rowName_seatNumber_idx" ON "IssuedTicket"("eventId", "rowName", "seatNumber");

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceTier" ADD CONSTRAINT "PriceTier_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupDiscount" ADD CONSTRAINT "GroupDiscount_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "PriceTier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_heldById_fkey" FOREIGN KEY ("heldById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssuedTicket" ADD CONSTRAINT "IssuedTicket_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssuedTicket" ADD CONSTRAINT "IssuedTicket_eventId_rowName_seatNumber_fkey" FOREIGN KEY ("eventId", "rowName", "seatNumber") REFERENCES "Ticket"("eventId", "rowName", "seatNumber") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Invariants the database enforces itself (not expressible in schema.prisma).

-- Money and quantities are never negative; currencies are ISO-4217 codes.
ALTER TABLE "PriceTier" ADD CONSTRAINT "PriceTier_price_check" CHECK ("priceCents" >= 0 AND "currency" ~ '^[A-Z]{3}$');
ALTER TABLE "GroupDiscount" ADD CONSTRAINT "GroupDiscount_rule_check" CHECK ("minQuantity" >= 2 AND "percentOff" BETWEEN 1 AND 100);
ALTER TABLE "Order" ADD CONSTRAINT "Order_amounts_check" CHECK ("subtotalCents" >= 0 AND "discountCents" >= 0 AND "totalCents" = "subtotalCents" - "discountCents" AND "totalCents" >= 0);
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_seatNumber_check" CHECK ("seatNumber" >= 1);

-- A seat's status matches its references: AVAILABLE has neither hold nor order, RESERVED has a
-- hold (id, holder, expiry) and no order, SOLD has an order and no hold.
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_status_check" CHECK (
  ("status" = 'AVAILABLE' AND "holdId" IS NULL AND "heldById" IS NULL AND "holdExpiresAt" IS NULL AND "orderId" IS NULL)
  OR ("status" = 'RESERVED' AND "holdId" IS NOT NULL AND "heldById" IS NOT NULL AND "holdExpiresAt" IS NOT NULL AND "orderId" IS NULL)
  OR ("status" = 'SOLD' AND "orderId" IS NOT NULL AND "holdId" IS NULL AND "heldById" IS NULL AND "holdExpiresAt" IS NULL)
);

-- At most one live (not cancelled) issued ticket per seat.
CREATE UNIQUE INDEX "IssuedTicket_live_seat_key" ON "IssuedTicket"("eventId", "rowName", "seatNumber") WHERE "status" <> 'CANCELLED';
