-- Pay later: staff choose per event how shoppers may pay (instant, at the box office, by bank
-- transfer). A pay-later order is PENDING until staff record the payment, with a deadline; its seats
-- are SOLD (never offered to others) and its tickets PENDING (not admitted at the door) until then.
-- An order not paid by its deadline EXPIRES: the sweeper returns its seats to sale.
ALTER TYPE "OrderStatus" ADD VALUE 'PENDING';
ALTER TYPE "OrderStatus" ADD VALUE 'EXPIRED';
ALTER TYPE "IssuedTicketStatus" ADD VALUE 'PENDING';
ALTER TYPE "MailKind" ADD VALUE 'ORDER_PENDING';
ALTER TYPE "MailKind" ADD VALUE 'ORDER_EXPIRED';

ALTER TABLE "Event" ADD COLUMN "paymentMethods" TEXT[] NOT NULL DEFAULT ARRAY['instant']::TEXT[];
ALTER TABLE "Event" ADD COLUMN "payLaterDays" INTEGER NOT NULL DEFAULT 3;
ALTER TABLE "Event" ADD CONSTRAINT "Event_paymentMethods_check"
  CHECK (cardinality("paymentMethods") BETWEEN 1 AND 3 AND "paymentMethods" <@ ARRAY['instant', 'box_office', 'bank_transfer']::TEXT[]);
ALTER TABLE "Event" ADD CONSTRAINT "Event_payLaterDays_check" CHECK ("payLaterDays" BETWEEN 1 AND 60);

ALTER TABLE "Order" ADD COLUMN "paymentMethod" VARCHAR(20) NOT NULL DEFAULT 'instant';
ALTER TABLE "Order" ADD COLUMN "paymentDueAt" TIMESTAMP(3);
ALTER TABLE "Order" ADD COLUMN "paidAt" TIMESTAMP(3);
ALTER TABLE "Order" ADD CONSTRAINT "Order_paymentMethod_check" CHECK ("paymentMethod" IN ('instant', 'box_office', 'bank_transfer'));
-- Every order so far was paid when it was made (the refunds in the sales report are of paid orders).
UPDATE "Order" SET "paidAt" = "createdAt";
CREATE INDEX "Order_status_paymentDueAt_idx" ON "Order"("status", "paymentDueAt");

-- The purchase takes the payment method. Instant: as before (PAID, tickets VALID, the confirmation
-- mail). Pay later: PENDING until least(now + the event's payLaterDays, its start), tickets PENDING,
-- the payment instructions mailed. The method must be one the event offers; paying later closes an
-- hour before the start.
DROP FUNCTION tessera_purchase(UUID, UUID, TEXT[], INTEGER[], TEXT, TEXT[], BOOLEAN);
CREATE FUNCTION tessera_purchase(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[], p_key TEXT,
  p_barcodes TEXT[], p_staff BOOLEAN, p_method TEXT) RETURNS jsonb LANGUAGE plpgsql AS $$
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
  order_status TEXT := 'PAID';
  due TIMESTAMP(3);
  tickets jsonb;
BEGIN
  SELECT id INTO existing FROM "Order" WHERE "userId" = p_user AND "idempotencyKey" = p_key;
  IF FOUND THEN RETURN jsonb_build_object('existing', existing); END IF;
  blocked := tessera_sale_blocked(p_event, p_staff, now_utc);
  IF blocked IS NOT NULL THEN RETURN jsonb_build_object('error', blocked); END IF;
  SELECT name, "startsAt", "paymentMethods", "payLaterDays" INTO ev FROM "Event" WHERE id = p_event;
  IF NOT (p_method = ANY (ev."paymentMethods")) THEN
    RETURN jsonb_build_object('error', 'PAYMENT_METHOD_NOT_OFFERED', 'methods', to_jsonb(ev."paymentMethods"));
  END IF;
  IF p_method <> 'instant' THEN
    order_status := 'PENDING';
    due := least(now_utc + make_interval(days => ev."payLaterDays"), ev."startsAt");
    IF due < now_utc + interval '1 hour' THEN
      RETURN jsonb_build_object('error', 'PAY_LATER_CLOSED', 'methods', to_jsonb(ev."paymentMethods"));
    END IF;
  END IF;
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
  INSERT INTO "Order" (id, "userId", "eventId", "status", "subtotalCents", "discountCents", "totalCents", "currency", "idempotencyKey",
                       "createdAt", "paymentMethod", "paymentDueAt", "paidAt")
    VALUES (gen_random_uuid(), p_user, p_event, order_status::"OrderStatus", subtotal, discount, subtotal - discount, currencies[1], p_key,
            now_utc, p_method, due, CASE WHEN order_status = 'PAID' THEN now_utc END)
    ON CONFLICT ("userId", "idempotencyKey") DO NOTHING
    RETURNING id, "number" INTO order_id, order_number;
  IF order_id IS NULL THEN
    SELECT id INTO existing FROM "Order" WHERE "userId" = p_user AND "idempotencyKey" = p_key;
    RETURN jsonb_build_object('existing', existing);
  END IF;
  -- The mail goes out after the commit, from this row (the outbox): a crash between the commit and
  -- the send delays the mail, never loses it. A pending order's mail says how and by when to pay.
  INSERT INTO "MailJob" ("kind", "orderId")
    VALUES (CASE WHEN order_status = 'PAID' THEN 'ORDER_CONFIRMED' ELSE 'ORDER_PENDING' END::"MailKind", order_id);

  WITH seats AS (
    SELECT t."rowName", t."seatNumber", p.name AS tier_name, p."priceCents", p.currency::text AS currency,
           row_number() OVER (ORDER BY length(t."rowName"), t."rowName" COLLATE "C", t."seatNumber") AS ord
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    JOIN "Ticket" t ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    JOIN "PriceTier" p ON p.id = t."tierId"
  ), issued AS (
    INSERT INTO "IssuedTicket" (id, barcode, "orderId", "eventId", "rowName", "seatNumber", "tierName", "priceCents", "currency", "status", "createdAt")
    SELECT gen_random_uuid(), p_barcodes[s.ord], order_id, p_event, s."rowName", s."seatNumber", s.tier_name, s."priceCents", s.currency,
           (CASE WHEN order_status = 'PAID' THEN 'VALID' ELSE 'PENDING' END)::"IssuedTicketStatus", now_utc
    FROM seats s
    RETURNING barcode, "rowName", "seatNumber", "tierName", "priceCents", "currency"
  )
  SELECT jsonb_agg(jsonb_build_object('barcode', barcode, 'row', "rowName", 'number', "seatNumber", 'tierName', "tierName",
                                      'priceCents', "priceCents", 'currency', "currency"))
    INTO tickets FROM issued;

  -- Last: its trigger bumps the inventory version, whose row stays locked until the commit.
  UPDATE "Ticket" t SET "status" = 'SOLD', "orderId" = order_id, "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    WHERE t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number;
  RETURN jsonb_build_object('order', jsonb_build_object(
    'id', order_id, 'number', order_number, 'eventId', p_event, 'eventName', ev.name, 'startsAt', tessera_iso(ev."startsAt"),
    'status', order_status, 'paymentMethod', p_method, 'paymentDueAt', tessera_iso(due),
    'subtotalCents', subtotal, 'discountCents', discount, 'totalCents', subtotal - discount, 'currency', currencies[1],
    'createdAt', tessera_iso(now_utc), 'tickets', tickets));
END $$;
