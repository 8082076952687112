-- On-sale speed: reserve and purchase become one call of a PL/pgSQL function each (one round trip
-- from the app), and every change of what a seat map shows bumps the event's inventory version
-- (triggers, so no writer can forget), which seat-map caches and ETags are keyed on.

-- CreateTable
CREATE TABLE "InventoryVersion" (
    "eventId" UUID NOT NULL,
    "shard" SMALLINT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "InventoryVersion_pkey" PRIMARY KEY ("eventId","shard")
);

-- AddForeignKey
ALTER TABLE "InventoryVersion" ADD CONSTRAINT "InventoryVersion_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An event's version is the sum of its shards. Each statement bumps one shard at random (of 16),
-- so concurrent sales of one event rarely queue on the same row (its lock is held until commit);
-- every committed change adds exactly one, so the sum only grows and a reader always sees a
-- consistent sum.
CREATE FUNCTION tessera_bump_inventory(p_events UUID[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "InventoryVersion" ("eventId", "shard", "version")
  SELECT e, floor(random() * 16)::smallint, 1 FROM (SELECT DISTINCT e FROM unnest(p_events) AS e) AS events
  ON CONFLICT ("eventId", "shard") DO UPDATE SET "version" = "InventoryVersion"."version" + 1
$$;

CREATE FUNCTION tessera_seats_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tessera_bump_inventory(ARRAY(SELECT DISTINCT "eventId" FROM changed));
  RETURN NULL;
END $$;

CREATE TRIGGER "Ticket_inserted" AFTER INSERT ON "Ticket" REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION tessera_seats_changed();
CREATE TRIGGER "Ticket_updated" AFTER UPDATE ON "Ticket" REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION tessera_seats_changed();
CREATE TRIGGER "Ticket_deleted" AFTER DELETE ON "Ticket" REFERENCING OLD TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION tessera_seats_changed();
-- Tier names and prices, and the event's status, show on the seat map too.
CREATE TRIGGER "PriceTier_inserted" AFTER INSERT ON "PriceTier" REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION tessera_seats_changed();
CREATE TRIGGER "PriceTier_updated" AFTER UPDATE ON "PriceTier" REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION tessera_seats_changed();
CREATE TRIGGER "PriceTier_deleted" AFTER DELETE ON "PriceTier" REFERENCING OLD TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION tessera_seats_changed();

CREATE FUNCTION tessera_event_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tessera_bump_inventory(ARRAY[NEW.id]);
  RETURN NULL;
END $$;

CREATE TRIGGER "Event_status_changed" AFTER UPDATE OF "status" ON "Event"
FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION tessera_event_status_changed();

-- Timestamps are stored as UTC without a zone (as Prisma writes them); JSON answers carry ISO-8601.
CREATE FUNCTION tessera_iso(ts TIMESTAMP(3)) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Whether a reserve or purchase may go ahead on this event: null when it may, else an error code.
-- FOR SHARE keeps a concurrent cancel waiting until the caller's transaction ends.
CREATE FUNCTION tessera_sale_blocked(p_event UUID, p_staff BOOLEAN, now_utc TIMESTAMP(3)) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
  ev RECORD;
BEGIN
  SELECT "status", "startsAt" <= now_utc AS started INTO ev FROM "Event" WHERE id = p_event FOR SHARE;
  IF NOT FOUND OR (ev."status" = 'DRAFT' AND NOT p_staff) THEN RETURN 'EVENT_NOT_FOUND'; END IF;
  IF ev."status" = 'CANCELLED' THEN RETURN 'EVENT_CANCELLED'; END IF;
  IF ev.started THEN RETURN 'SALES_CLOSED'; END IF;
  RETURN NULL;
END $$;

-- Holds the named seats for the user, all or none, in one call. A seat is free when it is
-- AVAILABLE or its hold expired; the user's own holds move into the new hold. Seats are locked in
-- (rowName, seatNumber) order, as every writer locks them, so two calls never deadlock; an advisory
-- lock per (user, event) keeps the per-user hold limit exact. Answers {holdId, expiresAt} or
-- {error, ...}; on an error nothing was changed.
CREATE FUNCTION tessera_reserve(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[],
  p_hold_seconds DOUBLE PRECISION, p_staff BOOLEAN, p_max_held INTEGER) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  now_utc TIMESTAMP(3) := now() AT TIME ZONE 'UTC';
  blocked TEXT;
  wanted INTEGER := coalesce(array_length(p_rows, 1), 0);
  found_count INTEGER;
  missing jsonb;
  unavailable jsonb;
  held INTEGER;
  hold UUID := gen_random_uuid();
  expires TIMESTAMP(3) := now_utc + p_hold_seconds * interval '1 second';
BEGIN
  blocked := tessera_sale_blocked(p_event, p_staff, now_utc);
  IF blocked IS NOT NULL THEN RETURN jsonb_build_object('error', blocked); END IF;
  PERFORM pg_advisory_xact_lock(4101, hashtext(p_user::text || ':' || p_event::text));
  PERFORM 1 FROM "Ticket" t JOIN unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    ORDER BY t."rowName", t."seatNumber" FOR UPDATE OF t;

  SELECT count(t."rowName"),
         coalesce(jsonb_agg(jsonb_build_object('row', r.row_name, 'number', r.seat_number)) FILTER (WHERE t."rowName" IS NULL), '[]'),
         coalesce(jsonb_agg(jsonb_build_object('row', r.row_name, 'number', r.seat_number)) FILTER (
           WHERE t."status" = 'SOLD' OR (t."status" = 'RESERVED' AND t."holdExpiresAt" > now_utc AND t."heldById" <> p_user)), '[]')
    INTO found_count, missing, unavailable
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    LEFT JOIN "Ticket" t ON t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number;
  IF found_count < wanted THEN RETURN jsonb_build_object('error', 'SEATS_MISSING', 'seats', missing); END IF;
  IF jsonb_array_length(unavailable) > 0 THEN RETURN jsonb_build_object('error', 'SEATS_UNAVAILABLE', 'seats', unavailable); END IF;

  SELECT count(*) INTO held FROM "Ticket" t
    WHERE t."heldById" = p_user AND t."eventId" = p_event AND t."status" = 'RESERVED' AND t."holdExpiresAt" > now_utc
      AND NOT EXISTS (SELECT 1 FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number) WHERE r.row_name = t."rowName" AND r.seat_number = t."seatNumber");
  IF held + wanted > p_max_held THEN RETURN jsonb_build_object('error', 'HOLD_LIMIT', 'held', held, 'limit', p_max_held); END IF;

  UPDATE "Ticket" t SET "status" = 'RESERVED', "holdId" = hold, "heldById" = p_user, "holdExpiresAt" = expires, "orderId" = NULL
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    WHERE t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number;
  RETURN jsonb_build_object('holdId', hold, 'expiresAt', tessera_iso(expires));
END $$;

-- Buys the named seats for the user, all or none, in one call: each must be AVAILABLE, held by
-- the user, or held by someone whose hold expired. Prices come from the seats' tiers and the
-- event's group discounts in the same transaction, so the quote rule and the charge cannot differ
-- (the rule is also in shared/pricing.ts: subtotal less the best reached percentage, rounded).
-- The idempotency key is enforced by the (userId, idempotencyKey) unique index: a racing call with
-- the same key waits on the first one's insert and then finds its order. The barcodes come from
-- the caller (one per seat, in seat order). Answers {order}, {existing: orderId} or {error, ...};
-- on an error or an existing order nothing was changed.
CREATE FUNCTION tessera_purchase(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[], p_key TEXT,
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
    RETURNING id INTO order_id;
  IF order_id IS NULL THEN
    SELECT id INTO existing FROM "Order" WHERE "userId" = p_user AND "idempotencyKey" = p_key;
    RETURN jsonb_build_object('existing', existing);
  END IF;

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
    'id', order_id, 'eventId', p_event, 'eventName', ev.name, 'startsAt', tessera_iso(ev."startsAt"),
    'subtotalCents', subtotal, 'discountCents', discount, 'totalCents', subtotal - discount, 'currency', currencies[1],
    'createdAt', tessera_iso(now_utc), 'tickets', tickets));
END $$;
