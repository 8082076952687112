-- Vouchers and promo codes: staff make codes per event (percent off, an amount off the order, or a
-- fixed price per ticket; optionally only for some tiers; valid from/until; a maximum number of
-- uses in all and per customer). A use is an order: the purchase counts it atomically under the
-- voucher's row lock, and a cancelled or expired order gives its use back. A code replaces the
-- group discount. Codes are stored as typed by staff in upper case; shoppers' input is upper-cased.
CREATE TABLE "Voucher" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "eventId" UUID NOT NULL,
  "code" VARCHAR(40) NOT NULL,
  "kind" VARCHAR(10) NOT NULL,
  "value" INTEGER NOT NULL,
  "tierIds" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
  "validFrom" TIMESTAMP(3),
  "validUntil" TIMESTAMP(3),
  "maxUses" INTEGER,
  "maxUsesPerUser" INTEGER,
  "uses" INTEGER NOT NULL DEFAULT 0,
  "active" BOOLEAN NOT NULL DEFAULT true,
  "note" VARCHAR(200),
  "createdById" UUID,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Voucher_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Voucher_kind_check" CHECK ("kind" IN ('percent', 'amount', 'price')),
  CONSTRAINT "Voucher_value_check" CHECK ("value" >= 0 AND ("kind" <> 'percent' OR "value" BETWEEN 1 AND 100)),
  CONSTRAINT "Voucher_code_check" CHECK ("code" ~ '^[A-Z0-9][A-Z0-9_-]{2,39}$'),
  CONSTRAINT "Voucher_uses_check" CHECK ("uses" >= 0 AND ("maxUses" IS NULL OR "uses" <= "maxUses")),
  CONSTRAINT "Voucher_limits_check" CHECK (("maxUses" IS NULL OR "maxUses" >= 1) AND ("maxUsesPerUser" IS NULL OR "maxUsesPerUser" >= 1)),
  CONSTRAINT "Voucher_window_check" CHECK ("validFrom" IS NULL OR "validUntil" IS NULL OR "validFrom" < "validUntil")
);
CREATE UNIQUE INDEX "Voucher_eventId_code_key" ON "Voucher"("eventId", "code");
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Order" ADD COLUMN "voucherId" UUID;
ALTER TABLE "Order" ADD COLUMN "voucherCode" VARCHAR(40);
ALTER TABLE "Order" ADD CONSTRAINT "Order_voucherId_fkey" FOREIGN KEY ("voucherId") REFERENCES "Voucher"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "Order_voucherId_userId_idx" ON "Order"("voucherId", "userId");

-- The purchase takes an optional code (p_code, upper case): see the code branch below.
DROP FUNCTION tessera_purchase(UUID, UUID, TEXT[], INTEGER[], TEXT, TEXT[], BOOLEAN, TEXT);
CREATE FUNCTION tessera_purchase(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[], p_key TEXT,
  p_barcodes TEXT[], p_staff BOOLEAN, p_method TEXT, p_code TEXT) RETURNS jsonb LANGUAGE plpgsql AS $$
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
  v RECORD;
  v_id UUID;
  v_code TEXT;
  v_count INTEGER;
  v_sum INTEGER;
  v_price_off INTEGER;
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

  IF p_code IS NULL THEN
    SELECT coalesce(max(d."percentOff"), 0) INTO pct FROM "GroupDiscount" d WHERE d."eventId" = p_event AND d."minQuantity" <= wanted;
    discount := round(subtotal::numeric * pct / 100);
  ELSE
    -- A code replaces the group discount (pretix's rule): the order gets the code's discount, never both.
    pct := 0;
    SELECT * INTO v FROM "Voucher" x
      WHERE x."eventId" = p_event AND x.code = p_code AND x.active
        AND (x."validFrom" IS NULL OR x."validFrom" <= now_utc) AND (x."validUntil" IS NULL OR x."validUntil" > now_utc);
    IF NOT FOUND THEN RETURN jsonb_build_object('error', 'VOUCHER_INVALID'); END IF;
    v_id := v.id;
    v_code := v.code;
    SELECT count(*), coalesce(sum(p."priceCents"), 0), coalesce(sum(greatest(p."priceCents" - v.value, 0)), 0)
      INTO v_count, v_sum, v_price_off
      FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
      JOIN "Ticket" t ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
      JOIN "PriceTier" p ON p.id = t."tierId"
      WHERE cardinality(v."tierIds") = 0 OR t."tierId" = ANY (v."tierIds");
    IF v_count = 0 THEN RETURN jsonb_build_object('error', 'VOUCHER_NOT_APPLICABLE'); END IF;
    -- The same rule as voucherDiscount() in shared/pricing.ts (pricing.quote answers with it).
    discount := CASE v.kind
      WHEN 'percent' THEN round(v_sum::numeric * v.value / 100)
      WHEN 'amount' THEN least(v.value, v_sum)
      ELSE v_price_off END;
    -- Counted atomically: the row lock orders racing buyers; past maxUses the conditional update finds nothing.
    UPDATE "Voucher" SET uses = uses + 1 WHERE id = v.id AND ("maxUses" IS NULL OR uses < "maxUses");
    IF NOT FOUND THEN RETURN jsonb_build_object('error', 'VOUCHER_USED_UP'); END IF;
    -- Under the voucher's row lock, so one buyer's racing orders are counted one after the other.
    IF v."maxUsesPerUser" IS NOT NULL AND (SELECT count(*) FROM "Order" o
          WHERE o."voucherId" = v.id AND o."userId" = p_user AND o.status IN ('PAID', 'PENDING')) >= v."maxUsesPerUser" THEN
      UPDATE "Voucher" SET uses = uses - 1 WHERE id = v.id;
      RETURN jsonb_build_object('error', 'VOUCHER_LIMIT_REACHED', 'maxUsesPerUser', v."maxUsesPerUser");
    END IF;
  END IF;
  INSERT INTO "Order" (id, "userId", "eventId", "status", "subtotalCents", "discountCents", "totalCents", "currency", "idempotencyKey",
                       "createdAt", "paymentMethod", "paymentDueAt", "paidAt", "voucherId", "voucherCode")
    VALUES (gen_random_uuid(), p_user, p_event, order_status::"OrderStatus", subtotal, discount, subtotal - discount, currencies[1], p_key,
            now_utc, p_method, due, CASE WHEN order_status = 'PAID' THEN now_utc END, v_id, v_code)
    ON CONFLICT ("userId", "idempotencyKey") DO NOTHING
    RETURNING id, "number" INTO order_id, order_number;
  IF order_id IS NULL THEN
    -- A racing call with this key made the order: this one used nothing.
    IF v_id IS NOT NULL THEN UPDATE "Voucher" SET uses = uses - 1 WHERE id = v_id; END IF;
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
    'subtotalCents', subtotal, 'discountCents', discount, 'voucherCode', v_code, 'totalCents', subtotal - discount, 'currency', currencies[1],
    'createdAt', tessera_iso(now_utc), 'tickets', tickets));
END $$;
