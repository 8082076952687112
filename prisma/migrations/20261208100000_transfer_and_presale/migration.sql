-- Ticket transfer: the holder of a paid ticket sends it to an email address before the event; the
-- recipient claims it with the mailed link (signed in with that address). At the claim the ticket
-- row changes hands in place: a new barcode replaces the old one (which stops opening the door) and
-- "holderId" names the new holder. A ticket with no holder belongs to its order's buyer unless it
-- was ever claimed away (then its holder's account was deleted, and nobody holds it online).
-- The transfer row keeps the history: who sent it where, and the barcode it had before the claim.
--
-- Presale: staff mark a tier hidden; its seats are on the seat map (marked by their tier) but only
-- a code that unlocks hidden seats lets anyone hold or buy them (tessera_locked_seats()), and best
-- available never picks them.
ALTER TYPE "MailKind" ADD VALUE 'TRANSFER_RECEIVED';
ALTER TYPE "MailKind" ADD VALUE 'TRANSFER_COMPLETED';
ALTER TYPE "MailKind" ADD VALUE 'HELD_TICKET_CANCELLED';

ALTER TABLE "Event" ADD COLUMN "transfersAllowed" BOOLEAN NOT NULL DEFAULT true;

ALTER TABLE "PriceTier" ADD COLUMN "hidden" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Voucher" ADD COLUMN "unlocksHidden" BOOLEAN NOT NULL DEFAULT false;
-- A code that only unlocks a presale may take nothing off (percent 0).
ALTER TABLE "Voucher" DROP CONSTRAINT "Voucher_value_check";
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_value_check"
  CHECK ("value" >= 0 AND ("kind" <> 'percent' OR "value" BETWEEN 1 AND 100 OR ("value" = 0 AND "unlocksHidden")));

-- The named seats of hidden tiers that p_code does not unlock (every one of them without a code): a
-- code unlocks when it is an active code of the event, within its dates, made to unlock, and for
-- the seat's tier (or every tier). Its uses are counted by the purchase, as any code's.
CREATE FUNCTION tessera_locked_seats(p_event UUID, p_rows TEXT[], p_numbers INTEGER[], p_code TEXT) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('row', t."rowName", 'number', t."seatNumber") ORDER BY t."rowName", t."seatNumber"), '[]')
  FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
  JOIN "Ticket" t ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
  JOIN "PriceTier" p ON p.id = t."tierId" AND p.hidden
  WHERE NOT EXISTS (
    SELECT 1 FROM "Voucher" v
    WHERE p_code IS NOT NULL AND v."eventId" = p_event AND v.code = p_code AND v.active AND v."unlocksHidden"
      AND (v."validFrom" IS NULL OR v."validFrom" <= now() AT TIME ZONE 'UTC')
      AND (v."validUntil" IS NULL OR v."validUntil" > now() AT TIME ZONE 'UTC')
      AND (cardinality(v."tierIds") = 0 OR t."tierId" = ANY (v."tierIds")))
$$;

-- Reserve with a code: hidden seats need one that unlocks them (staff, selling at the box office,
-- do not); then tessera_reserve() as before.
CREATE FUNCTION tessera_reserve(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[],
  p_hold_seconds DOUBLE PRECISION, p_staff BOOLEAN, p_max_held INTEGER, p_code TEXT) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  locked jsonb := CASE WHEN p_staff THEN '[]'::jsonb ELSE tessera_locked_seats(p_event, p_rows, p_numbers, p_code) END;
BEGIN
  IF jsonb_array_length(locked) > 0 THEN RETURN jsonb_build_object('error', 'SEATS_LOCKED', 'seats', locked); END IF;
  RETURN tessera_reserve(p_event, p_user, p_rows, p_numbers, p_hold_seconds, p_staff, p_max_held);
END $$;

ALTER TABLE "IssuedTicket" ADD COLUMN "holderId" UUID;
ALTER TABLE "IssuedTicket" ADD CONSTRAINT "IssuedTicket_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "IssuedTicket_holderId_idx" ON "IssuedTicket"("holderId");

CREATE TABLE "TicketTransfer" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "ticketId" UUID NOT NULL,
  "fromUserId" UUID,
  "toEmail" VARCHAR(254) NOT NULL,
  "tokenHash" VARCHAR(64) NOT NULL,
  "status" VARCHAR(10) NOT NULL DEFAULT 'PENDING',
  "toUserId" UUID,
  "oldBarcode" VARCHAR(64),
  "expiresAt" TIMESTAMP(3) NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "endedAt" TIMESTAMP(3),
  CONSTRAINT "TicketTransfer_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "TicketTransfer_status_check" CHECK ("status" IN ('PENDING', 'CLAIMED', 'CANCELLED')),
  CONSTRAINT "TicketTransfer_claimed_check" CHECK ("status" <> 'CLAIMED' OR "oldBarcode" IS NOT NULL)
);
CREATE UNIQUE INDEX "TicketTransfer_tokenHash_key" ON "TicketTransfer"("tokenHash");
-- One open transfer per ticket: sending it again replaces the open one.
CREATE UNIQUE INDEX "TicketTransfer_open_key" ON "TicketTransfer"("ticketId") WHERE "status" = 'PENDING';
CREATE INDEX "TicketTransfer_ticketId_idx" ON "TicketTransfer"("ticketId");
CREATE INDEX "TicketTransfer_fromUserId_status_idx" ON "TicketTransfer"("fromUserId", "status");
CREATE INDEX "TicketTransfer_oldBarcode_idx" ON "TicketTransfer"("oldBarcode");
ALTER TABLE "TicketTransfer" ADD CONSTRAINT "TicketTransfer_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "IssuedTicket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TicketTransfer" ADD CONSTRAINT "TicketTransfer_fromUserId_fkey" FOREIGN KEY ("fromUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "TicketTransfer" ADD CONSTRAINT "TicketTransfer_toUserId_fkey" FOREIGN KEY ("toUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The purchase answers whether its tickets may be passed on (the event's switch), read with the
-- event row it already reads, and refuses hidden seats its code does not unlock: the same function
-- as in the vouchers migration, five lines added.
CREATE OR REPLACE FUNCTION tessera_purchase(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[], p_key TEXT,
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
  locked jsonb;
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
  SELECT name, "startsAt", "paymentMethods", "payLaterDays", "transfersAllowed" INTO ev FROM "Event" WHERE id = p_event;
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
  locked := CASE WHEN p_staff THEN '[]'::jsonb ELSE tessera_locked_seats(p_event, p_rows, p_numbers, p_code) END;
  IF jsonb_array_length(locked) > 0 THEN RETURN jsonb_build_object('error', 'SEATS_LOCKED', 'seats', locked); END IF;

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
    'transfersAllowed', ev."transfersAllowed",
    'status', order_status, 'paymentMethod', p_method, 'paymentDueAt', tessera_iso(due),
    'subtotalCents', subtotal, 'discountCents', discount, 'voucherCode', v_code, 'totalCents', subtotal - discount, 'currency', currencies[1],
    'createdAt', tessera_iso(now_utc), 'tickets', tickets));
END $$;

-- Best available never picks hidden (presale) seats: the function of the best_available_places
-- migration with one condition added (AND NOT p.hidden).
CREATE OR REPLACE FUNCTION tessera_reserve_best(p_event UUID, p_user UUID, p_quantity INTEGER, p_tier UUID, p_min_price INTEGER,
  p_max_price INTEGER, p_hold_seconds DOUBLE PRECISION, p_staff BOOLEAN, p_max_held INTEGER) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  now_utc TIMESTAMP(3) := now() AT TIME ZONE 'UTC';
  blocked TEXT;
  held INTEGER;
  hold UUID := gen_random_uuid();
  expires TIMESTAMP(3) := now_utc + p_hold_seconds * interval '1 second';
  block RECORD;
  got INTEGER;
  tried INTEGER;
  taken jsonb;
BEGIN
  blocked := tessera_sale_blocked(p_event, p_staff, now_utc);
  IF blocked IS NOT NULL THEN RETURN jsonb_build_object('error', blocked); END IF;
  IF p_tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "PriceTier" WHERE id = p_tier AND "eventId" = p_event) THEN
    RETURN jsonb_build_object('error', 'TIER_MISSING');
  END IF;
  -- The same lock tessera_reserve() takes, so the per-user hold limit stays exact.
  PERFORM pg_advisory_xact_lock(4101, hashtext(p_user::text || ':' || p_event::text));
  SELECT count(*) INTO held FROM "Ticket" t
    WHERE t."heldById" = p_user AND t."eventId" = p_event AND t."status" = 'RESERVED' AND t."holdExpiresAt" > now_utc;
  IF held + p_quantity > p_max_held THEN RETURN jsonb_build_object('error', 'HOLD_LIMIT', 'held', held, 'limit', p_max_held); END IF;

  FOR pass IN 1..5 LOOP
    tried := 0;
    FOR block IN
      WITH laid AS (
        -- x: the seat's place in its row (a venue layout's position, else its rank by number);
        -- y: the row's distance from the stage, sections drawn from the stage back with a gap.
        SELECT t."rowName", t."seatNumber", t."status", t."holdExpiresAt", t."tierId",
               coalesce(t."position", t."seatNumber") AS place,
               dense_rank() OVER (ORDER BY coalesce(s."position", -1), length(t."rowName"), t."rowName" COLLATE "C") - 1
                 + 1.6 * (dense_rank() OVER (ORDER BY coalesce(s."position", -1)) - 1) AS row_y,
               CASE WHEN t."position" IS NULL THEN row_number() OVER (PARTITION BY t."rowName" ORDER BY t."seatNumber") - 1
                    ELSE t."position" END AS seat_x,
               CASE WHEN bool_and(t."position" IS NOT NULL) OVER (PARTITION BY t."rowName")
                    THEN max(t."position") OVER (PARTITION BY t."rowName") + 1
                    ELSE count(*) OVER (PARTITION BY t."rowName") END AS row_span
        FROM "Ticket" t
        LEFT JOIN "EventSection" s ON s."eventId" = t."eventId" AND s.name = t.section
        WHERE t."eventId" = p_event
      ), free AS (
        SELECT l."rowName", l."seatNumber", l.place, l.row_y, l.seat_x, l.row_span, p.currency,
               l.place - row_number() OVER (PARTITION BY l."rowName", p.currency ORDER BY l.place) AS island
        FROM laid l JOIN "PriceTier" p ON p.id = l."tierId"
        WHERE (l."status" = 'AVAILABLE' OR (l."status" = 'RESERVED' AND l."holdExpiresAt" <= now_utc))
          AND (p_tier IS NULL OR l."tierId" = p_tier) AND NOT p.hidden
          AND (p_min_price IS NULL OR p."priceCents" >= p_min_price)
          AND (p_max_price IS NULL OR p."priceCents" <= p_max_price)
      ), starts AS (
        SELECT f."rowName", f."seatNumber", f.place, f.row_y, f.seat_x, f.row_span,
               lead(f.place, p_quantity - 1) OVER (PARTITION BY f."rowName", f.currency, f.island ORDER BY f.place) AS last_place
        FROM free f
      )
      SELECT s."rowName" AS row_name, s.place AS first_place, s.row_y
      FROM starts s
      WHERE s.last_place IS NOT NULL
      ORDER BY sqrt(power(s.seat_x + (p_quantity - 1) / 2.0 - (s.row_span - 1) / 2.0, 2) + power(s.row_y + 1, 2)),
               s.row_y, s."seatNumber"
      LIMIT 1000
    LOOP
      tried := tried + 1;
      SELECT count(*) INTO got FROM (
        SELECT 1 FROM "Ticket" t
        WHERE t."eventId" = p_event AND t."rowName" = block.row_name
          AND coalesce(t."position", t."seatNumber") BETWEEN block.first_place AND block.first_place + p_quantity - 1
          AND (t."status" = 'AVAILABLE' OR (t."status" = 'RESERVED' AND t."holdExpiresAt" <= now_utc))
        ORDER BY t."seatNumber"
        FOR UPDATE SKIP LOCKED
      ) AS locked;
      IF got = p_quantity THEN
        UPDATE "Ticket" t SET "status" = 'RESERVED', "holdId" = hold, "heldById" = p_user, "holdExpiresAt" = expires, "orderId" = NULL
          WHERE t."eventId" = p_event AND t."rowName" = block.row_name
            AND coalesce(t."position", t."seatNumber") BETWEEN block.first_place AND block.first_place + p_quantity - 1;
        SELECT jsonb_agg(jsonb_build_object('row', block.row_name, 'number', t."seatNumber") ORDER BY t."seatNumber") INTO taken
          FROM "Ticket" t
          WHERE t."eventId" = p_event AND t."rowName" = block.row_name
            AND coalesce(t."position", t."seatNumber") BETWEEN block.first_place AND block.first_place + p_quantity - 1;
        RETURN jsonb_build_object('holdId', hold, 'expiresAt', tessera_iso(expires), 'seats', taken);
      END IF;
    END LOOP;
    EXIT WHEN tried = 0;
    PERFORM pg_sleep(0.005 * pass);
  END LOOP;
  RETURN jsonb_build_object('error', 'NO_ADJACENT_SEATS');
END $$;
