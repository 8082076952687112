-- Virtual waiting room of an on-sale. Staff switch it on per event with a start time and an
-- admission rate; from then on the seat map, reserve and purchase need an admission pass, handed
-- out in order by tessera_queue_admit(), which every instance calls about once a second (the room
-- row is locked while it admits, so several instances admit each shopper exactly once).
CREATE TABLE "WaitingRoom" (
  "eventId" UUID NOT NULL,
  "startsAt" TIMESTAMP(3) NOT NULL,
  "ratePerMinute" INTEGER NOT NULL,
  "doorsOpen" BOOLEAN NOT NULL DEFAULT false,
  -- Admissions owed and not made yet (the rate accrues it; a pass that lapses unused gives one back).
  "budget" DOUBLE PRECISION NOT NULL DEFAULT 0,
  "tickedAt" TIMESTAMP(3),
  -- Entries admitted so far: always the first "admitted" entries in "place" order.
  "admitted" INTEGER NOT NULL DEFAULT 0,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "WaitingRoom_pkey" PRIMARY KEY ("eventId"),
  CONSTRAINT "WaitingRoom_rate_check" CHECK ("ratePerMinute" BETWEEN 1 AND 100000)
);
ALTER TABLE "WaitingRoom" ADD CONSTRAINT "WaitingRoom_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A shopper's place. "place" orders the line: a join before the start (and before anyone was
-- admitted) draws a random place in [0, 1); a later join gets 1 + the next number of a sequence,
-- behind everyone. One open place per shopper and event; a lapsed or spent one stays (so "admitted"
-- keeps counting a prefix of the line) and joining again makes a new one at the back.
CREATE SEQUENCE "QueueEntry_place_seq";
CREATE TABLE "QueueEntry" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "eventId" UUID NOT NULL,
  "userId" UUID NOT NULL,
  "place" DOUBLE PRECISION NOT NULL,
  "state" VARCHAR(10) NOT NULL DEFAULT 'WAITING',
  "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "admittedAt" TIMESTAMP(3),
  "useBy" TIMESTAMP(3),
  "passExpiresAt" TIMESTAMP(3),
  "endedAt" TIMESTAMP(3),
  CONSTRAINT "QueueEntry_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "QueueEntry_state_check" CHECK ("state" IN ('WAITING', 'ADMITTED', 'SHOPPING', 'DONE', 'LAPSED'))
);
CREATE UNIQUE INDEX "QueueEntry_open_key" ON "QueueEntry"("eventId", "userId") WHERE "state" IN ('WAITING', 'ADMITTED', 'SHOPPING');
CREATE INDEX "QueueEntry_eventId_state_place_idx" ON "QueueEntry"("eventId", "state", "place");
CREATE INDEX "QueueEntry_eventId_place_idx" ON "QueueEntry"("eventId", "place");
ALTER TABLE "QueueEntry" ADD CONSTRAINT "QueueEntry_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "QueueEntry" ADD CONSTRAINT "QueueEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One admission step at p_now for every room that has started and whose doors are not open:
-- passes not used by "useBy" lapse and give their admission back; passes used but not spent by
-- "passExpiresAt" end; the rate accrues (at most ten seconds' worth is banked while nobody waits);
-- the next whole number of waiting shoppers, in place order, are admitted. Returns how many.
-- SKIP LOCKED: a room another instance is admitting right now is left to it.
CREATE FUNCTION tessera_queue_admit(p_now TIMESTAMP(3), p_use_seconds INTEGER, p_pass_seconds INTEGER)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
  lapsed INTEGER;
  owed DOUBLE PRECISION;
  got INTEGER;
  total INTEGER := 0;
BEGIN
  FOR r IN
    SELECT * FROM "WaitingRoom" WHERE NOT "doorsOpen" AND "startsAt" <= p_now ORDER BY "eventId" FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE "QueueEntry" SET "state" = 'LAPSED', "endedAt" = p_now
    WHERE "eventId" = r."eventId" AND "state" = 'ADMITTED' AND "useBy" <= p_now;
    GET DIAGNOSTICS lapsed = ROW_COUNT;
    UPDATE "QueueEntry" SET "state" = 'LAPSED', "endedAt" = p_now
    WHERE "eventId" = r."eventId" AND "state" = 'SHOPPING' AND "passExpiresAt" <= p_now;

    owed := r."budget" + r."ratePerMinute" * GREATEST(0, EXTRACT(EPOCH FROM p_now - GREATEST(COALESCE(r."tickedAt", r."startsAt"), r."startsAt"))) / 60.0;
    owed := LEAST(owed, GREATEST(1.0, r."ratePerMinute" / 6.0)) + lapsed;

    WITH next AS (
      SELECT "id" FROM "QueueEntry"
      WHERE "eventId" = r."eventId" AND "state" = 'WAITING'
      ORDER BY "place"
      LIMIT FLOOR(owed)::INTEGER
      FOR UPDATE
    )
    UPDATE "QueueEntry" q
    SET "state" = 'ADMITTED', "admittedAt" = p_now,
        "useBy" = p_now + make_interval(secs => p_use_seconds),
        "passExpiresAt" = p_now + make_interval(secs => p_pass_seconds)
    FROM next WHERE q."id" = next."id";
    GET DIAGNOSTICS got = ROW_COUNT;

    UPDATE "WaitingRoom"
    SET "budget" = owed - got, "tickedAt" = p_now, "admitted" = "admitted" + got
    WHERE "eventId" = r."eventId";
    total := total + got;
  END LOOP;
  RETURN total;
END;
$$;
