-- Orders get a number people can read out (TSR-7KQ4-2M), and mail about orders goes through an
-- outbox: the job row is written in the order's own transaction and sent after the commit by
-- whichever instance claims it (server/services/mail/outbox.ts), retried with backoff on failure.

-- The number is the next value of a sequence, scrambled by a bijection of 30 bits (multiply by an
-- odd constant, then XOR), written as 6 Crockford base-32 characters: unique for the first 2^30
-- orders without a retry loop, and not a running count a competitor could read sales from.
CREATE SEQUENCE "Order_number_seq";

CREATE FUNCTION tessera_order_number(n BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  WITH v AS (SELECT (((n & 1073741823) * 387420489) & 1073741823) # 620081335 AS x)
  SELECT 'TSR-' || string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((x >> (25 - 5 * i)) & 31)::int + 1, 1), '' ORDER BY i)
                  FILTER (WHERE i < 4)
         || '-' || string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((x >> (25 - 5 * i)) & 31)::int + 1, 1), '' ORDER BY i)
                  FILTER (WHERE i >= 4)
  FROM v, generate_series(0, 5) AS i
$$;

ALTER TABLE "Order" ADD COLUMN "number" VARCHAR(12);
UPDATE "Order" SET "number" = tessera_order_number(nextval('"Order_number_seq"'));
ALTER TABLE "Order" ALTER COLUMN "number" SET NOT NULL,
  ALTER COLUMN "number" SET DEFAULT tessera_order_number(nextval('"Order_number_seq"'));
CREATE UNIQUE INDEX "Order_number_key" ON "Order"("number");

-- CreateEnum
CREATE TYPE "MailKind" AS ENUM ('ORDER_CONFIRMED', 'ORDER_CANCELLED');
CREATE TYPE "MailJobStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "MailJob" (
    "id" BIGSERIAL NOT NULL,
    "kind" "MailKind" NOT NULL,
    "orderId" UUID NOT NULL,
    "status" "MailJobStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" VARCHAR(300),
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MailJob_status_nextAttemptAt_idx" ON "MailJob"("status", "nextAttemptAt");
CREATE INDEX "MailJob_orderId_idx" ON "MailJob"("orderId");

-- AddForeignKey
ALTER TABLE "MailJob" ADD CONSTRAINT "MailJob_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The purchase writes the number into its answer and the confirmation job beside the order.
CREATE OR REPLACE FUNCTION tessera_purchase(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[], p_key TEXT,
  p_barcodes TEXT[], p_staff BOOLEAN) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  now_utc TIMESTAMP(3) := now() AT TIME ZONE 'UTC';
  blocked TEXT;
  existing UUID;
  ev RECORD;
  wanted INTEGER := coalesce(array_length(p_rows, 1), 0);
  found_count INTEGER;
  missing jsonb;
  unavailable jsonb;
  currencies TEXT[];
  subtotal INTEGER;
  pct INTEGER;
  discount INTEGER;
  order_id UUID;
  order_number TEXT;
  tickets jsonb;
BEGIN
  SELECT id INTO existing FROM "Order" WHERE "userId" = p_user AND "idempotencyKey" = p_key;
  IF FOUND THEN RETURN jsonb_build_object('existing', existing); END IF;
  blocked := tessera_sale_blocked(p_event, p_staff, now_utc);
  IF blocked IS NOT NULL THEN RETURN jsonb_build_object('error', blocked); END IF;
  PERFORM 1 FROM "Ticket" t JOIN unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    ORDER BY t."rowName", t."seatNumber" FOR UPDATE OF t;

  SELECT count(t."rowName"),
         coalesce(jsonb_agg(jsonb_build_object('row', r.row_name, 'number', r.seat_number)) FILTER (WHERE t."rowName" IS NULL), '[]'),
         coalesce(jsonb_agg(jsonb_build_object('row', r.row_name, 'number', r.seat_number)) FILTER (
           WHERE t."status" = 'SOLD' OR (t."status" = 'RESERVED' AND t."holdExpiresAt" > now_utc AND t."heldById" <> p_user)), '[]'),
         array_agg(DISTINCT p.currency::text) FILTER (WHERE p.currency IS NOT NULL),
         coalesce(sum(p."priceCents"), 0)
    INTO found_count, missing, unavailable, currencies, subtotal
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    LEFT JOIN "Ticket" t ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    LEFT JOIN "PriceTier" p ON p.id = t."tierId";
  IF found_count < wanted THEN RETURN jsonb_build_object('error', 'SEATS_MISSING', 'seats', missing); END IF;
  IF jsonb_array_length(unavailable) > 0 THEN
    -- A racing call with this key may have bought these very seats a moment ago.
    SELECT id INTO existing FROM "Order" WHERE "userId" = p_user AND "idempotencyKey" = p_key;
    IF FOUND THEN RETURN jsonb_build_object('existing', existing); END IF;
    RETURN jsonb_build_object('error', 'SEATS_UNAVAILABLE', 'seats', unavailable);
  END IF;
  IF array_length(currencies, 1) > 1 THEN RETURN jsonb_build_object('error', 'MIXED_CURRENCIES', 'currencies', to_jsonb(currencies)); END IF;

  SELECT coalesce(max(d."percentOff"), 0) INTO pct FROM "GroupDiscount" d WHERE d."eventId" = p_event AND d."minQuantity" <= wanted;
  discount := round(subtotal::numeric * pct / 100);
  INSERT INTO "Order" (id, "userId", "eventId", "status", "subtotalCents", "discountCents", "totalCents", "currency", "idempotencyKey", "createdAt")
    VALUES (gen_random_uuid(), p_user, p_event, 'PAID', subtotal, discount, subtotal - discount, currencies[1], p_key, now_utc)
    ON CONFLICT ("userId", "idempotencyKey") DO NOTHING
    RETURNING id, "number" INTO order_id, order_number;
  IF order_id IS NULL THEN
    SELECT id INTO existing FROM "Order" WHERE "userId" = p_user AND "idempotencyKey" = p_key;
    RETURN jsonb_build_object('existing', existing);
  END IF;
  -- The confirmation mail goes out after the commit, from this row (the outbox): a crash between
  -- the commit and the send delays the mail, never loses it.
  INSERT INTO "MailJob" ("kind", "orderId") VALUES ('ORDER_CONFIRMED', order_id);

  WITH seats AS (
    SELECT t."rowName", t."seatNumber", p.name AS tier_name, p."priceCents", p.currency::text AS currency,
           row_number() OVER (ORDER BY length(t."rowName"), t."rowName" COLLATE "C", t."seatNumber") AS ord
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    JOIN "Ticket" t ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    JOIN "PriceTier" p ON p.id = t."tierId"
  ), issued AS (
    INSERT INTO "IssuedTicket" (id, barcode, "orderId", "eventId", "rowName", "seatNumber", "tierName", "priceCents", "currency", "status", "createdAt")
    SELECT gen_random_uuid(), p_barcodes[s.ord], order_id, p_event, s."rowName", s."seatNumber", s.tier_name, s."priceCents", s.currency, 'VALID', now_utc
    FROM seats s
    RETURNING barcode, "rowName", "seatNumber", "tierName", "priceCents", "currency"
  )
  SELECT jsonb_agg(jsonb_build_object('barcode', barcode, 'row', "rowName", 'number', "seatNumber", 'tierName', "tierName",
                                      'priceCents', "priceCents", 'currency', "currency"))
    INTO tickets FROM issued;

  SELECT name, "startsAt" INTO ev FROM "Event" WHERE id = p_event;
  -- Last: its trigger bumps the inventory version, whose row stays locked until the commit.
  UPDATE "Ticket" t SET "status" = 'SOLD', "orderId" = order_id, "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    WHERE t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number;
  RETURN jsonb_build_object('order', jsonb_build_object(
    'id', order_id, 'number', order_number, 'eventId', p_event, 'eventName', ev.name, 'startsAt', tessera_iso(ev."startsAt"),
    'subtotalCents', subtotal, 'discountCents', discount, 'totalCents', subtotal - discount, 'currency', currencies[1],
    'createdAt', tessera_iso(now_utc), 'tickets', tickets));
END $$;
