-- A buyer's own live holds on an event are found through the buyer's seats, never by walking every
-- held seat of the event:
-- * "Ticket_heldById_idx" becomes ("heldById", "eventId"): one buyer's seats on one event. It still
--   serves the foreign key (heldById first), and costs a write no more often than before.
-- * The status is compared as text in those lookups, so they cannot use
--   "Ticket_eventId_status_holdExpiresAt_idx" (kept for the seat counts). The planner's statistics
--   rarely see many RESERVED seats (taken before an on-sale, or spread across every event of the
--   table), so it judged that index's (event, RESERVED) range nearly empty and chose it, and every
--   call then read every seat held on the event: with 15,000 held, each reserve and release read
--   them all (bench/README.md, "Held-seat lookups").
-- The statements in the app that look up a buyer's holds (the seat map's "mine", the waiting-list
-- offer check) do the same; release looks its seats up by their key alone.
--
-- Below: tessera_reserve() of 20261130110000_fast_inventory and tessera_reserve_best() of
-- 20261208100000_transfer_and_presale, each with its held-seat count changed so; in
-- tessera_reserve_best() a pass that takes no block also gives back what it locked (see there).

DROP INDEX "Ticket_heldById_idx";
CREATE INDEX "Ticket_heldById_eventId_idx" ON "Ticket"("heldById", "eventId");

CREATE OR REPLACE FUNCTION tessera_reserve(p_event UUID, p_user UUID, p_rows TEXT[], p_numbers INTEGER[],
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
    WHERE t."heldById" = p_user AND t."eventId" = p_event AND t."status"::text = 'RESERVED' AND t."holdExpiresAt" > now_utc
      AND NOT EXISTS (SELECT 1 FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number) WHERE r.row_name = t."rowName" AND r.seat_number = t."seatNumber");
  IF held + wanted > p_max_held THEN RETURN jsonb_build_object('error', 'HOLD_LIMIT', 'held', held, 'limit', p_max_held); END IF;

  UPDATE "Ticket" t SET "status" = 'RESERVED', "holdId" = hold, "heldById" = p_user, "holdExpiresAt" = expires, "orderId" = NULL
    FROM unnest(p_rows, p_numbers) AS r(row_name, seat_number)
    WHERE t."eventId" = p_event AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number;
  RETURN jsonb_build_object('holdId', hold, 'expiresAt', tessera_iso(expires));
END $$;

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
    WHERE t."heldById" = p_user AND t."eventId" = p_event AND t."status"::text = 'RESERVED' AND t."holdExpiresAt" > now_utc;
  IF held + p_quantity > p_max_held THEN RETURN jsonb_build_object('error', 'HOLD_LIMIT', 'held', held, 'limit', p_max_held); END IF;

  FOR pass IN 1..5 LOOP
    -- A pass that takes no block gives back the seats it locked on the way (a block it could only
    -- partly lock): kept to the end of the call, they made others skip those seats and refused
    -- shoppers while blocks were still free. The pass runs as a subtransaction for that, at most
    -- five per call.
    BEGIN
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
      RAISE EXCEPTION USING ERRCODE = 'TB001', MESSAGE = 'no block taken in this pass';
    EXCEPTION WHEN SQLSTATE 'TB001' THEN NULL;
    END;
    EXIT WHEN tried = 0;
    PERFORM pg_sleep(0.005 * pass);
  END LOOP;
  RETURN jsonb_build_object('error', 'NO_ADJACENT_SEATS');
END $$;
