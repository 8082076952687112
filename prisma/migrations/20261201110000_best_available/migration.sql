-- Best available: hold the best block of N adjacent free seats in one call.
--
-- "Best" is the block whose centre is nearest the centre of the stage, measured in seat pitches as
-- the seat map draws the hall: the stage is in front of the first row (rows in natural order A..Z,
-- AA..), each row centred on it, the first row one pitch from the stage. A block is N seats of one
-- row with consecutive seat numbers (a gap in the numbering is an aisle), all free, in one
-- currency, and inside the asked tier or price range. Ties go to the front row, then to the lower
-- seat numbers.
--
-- Contention: the candidates come best first from one snapshot; each is locked with FOR UPDATE
-- SKIP LOCKED and taken only if all N of its seats were locked and are still free. A block another
-- buyer is taking at this moment is skipped, never waited for, so two buyers asking at once get
-- different seats and neither gets an error. When every candidate was locked by others, the call
-- waits a few milliseconds (their transactions are short) and looks again from a fresh snapshot;
-- after five such passes, or when no block exists at all, the answer is NO_ADJACENT_SEATS. Answers
-- {holdId, expiresAt, seats} or {error, ...}; on an error nothing was changed.
CREATE FUNCTION tessera_reserve_best(p_event UUID, p_user UUID, p_quantity INTEGER, p_tier UUID, p_min_price INTEGER,
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
        SELECT t."rowName", t."seatNumber", t."status", t."holdExpiresAt", t."tierId",
               dense_rank() OVER (ORDER BY length(t."rowName"), t."rowName" COLLATE "C") - 1 AS row_index,
               row_number() OVER (PARTITION BY t."rowName" ORDER BY t."seatNumber") - 1 AS seat_index,
               count(*) OVER (PARTITION BY t."rowName") AS row_length
        FROM "Ticket" t WHERE t."eventId" = p_event
      ), free AS (
        SELECT l."rowName", l."seatNumber", l.row_index, l.seat_index, l.row_length, p.currency,
               l."seatNumber" - row_number() OVER (PARTITION BY l."rowName", p.currency ORDER BY l."seatNumber") AS island
        FROM laid l JOIN "PriceTier" p ON p.id = l."tierId"
        WHERE (l."status" = 'AVAILABLE' OR (l."status" = 'RESERVED' AND l."holdExpiresAt" <= now_utc))
          AND (p_tier IS NULL OR l."tierId" = p_tier)
          AND (p_min_price IS NULL OR p."priceCents" >= p_min_price)
          AND (p_max_price IS NULL OR p."priceCents" <= p_max_price)
      ), starts AS (
        SELECT f."rowName", f."seatNumber", f.row_index, f.seat_index, f.row_length,
               lead(f."seatNumber", p_quantity - 1) OVER (PARTITION BY f."rowName", f.currency, f.island ORDER BY f."seatNumber") AS last_number
        FROM free f
      )
      SELECT s."rowName" AS row_name, s."seatNumber" AS first_number, s.row_index
      FROM starts s
      WHERE s.last_number IS NOT NULL
      ORDER BY sqrt(power(s.seat_index + (p_quantity - 1) / 2.0 - (s.row_length - 1) / 2.0, 2) + power(s.row_index + 1, 2)),
               s.row_index, s."seatNumber"
      LIMIT 1000
    LOOP
      tried := tried + 1;
      SELECT count(*) INTO got FROM (
        SELECT 1 FROM "Ticket" t
        WHERE t."eventId" = p_event AND t."rowName" = block.row_name
          AND t."seatNumber" BETWEEN block.first_number AND block.first_number + p_quantity - 1
          AND (t."status" = 'AVAILABLE' OR (t."status" = 'RESERVED' AND t."holdExpiresAt" <= now_utc))
        ORDER BY t."seatNumber"
        FOR UPDATE SKIP LOCKED
      ) AS locked;
      IF got = p_quantity THEN
        UPDATE "Ticket" t SET "status" = 'RESERVED', "holdId" = hold, "heldById" = p_user, "holdExpiresAt" = expires, "orderId" = NULL
          WHERE t."eventId" = p_event AND t."rowName" = block.row_name
            AND t."seatNumber" BETWEEN block.first_number AND block.first_number + p_quantity - 1;
        SELECT jsonb_agg(jsonb_build_object('row', block.row_name, 'number', n) ORDER BY n) INTO taken
          FROM generate_series(block.first_number, block.first_number + p_quantity - 1) AS n;
        RETURN jsonb_build_object('holdId', hold, 'expiresAt', tessera_iso(expires), 'seats', taken);
      END IF;
    END LOOP;
    EXIT WHEN tried = 0;
    PERFORM pg_sleep(0.005 * pass);
  END LOOP;
  RETURN jsonb_build_object('error', 'NO_ADJACENT_SEATS');
END $$;
