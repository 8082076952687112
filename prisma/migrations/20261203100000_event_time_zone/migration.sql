-- Staff pick an event's times in its venue's time zone, and mail, PDFs and pages show them there.
-- Events made before this keep UTC, which is how they were shown to staff in mail until now.
ALTER TABLE "Event" ADD COLUMN "timeZone" VARCHAR(64) NOT NULL DEFAULT 'UTC';

-- Tiers are listed in the order staff created them (Stalls, Circle, Balcony), not by name: the
-- seat generator's first band defaults to the first tier created.
ALTER TABLE "PriceTier" ADD COLUMN "seq" BIGSERIAL NOT NULL;
