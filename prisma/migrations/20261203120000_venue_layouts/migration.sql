-- Venue layouts: seats in named sections, placed in their row (aisles and missing seats leave
-- empty places), with accessible and restricted-view features; layouts saved as venue templates.
-- The seat's key stays (eventId, rowName, seatNumber); a section's rows may carry its prefix (C-A).

ALTER TABLE "Ticket" ADD COLUMN "section" VARCHAR(40) NOT NULL DEFAULT '';
-- The seat's place in its row from the left, counting aisle gaps; NULL: placed in number order.
ALTER TABLE "Ticket" ADD COLUMN "position" INTEGER;
-- Bit mask: 1 wheelchair space, 2 companion seat, 4 restricted view.
ALTER TABLE "Ticket" ADD COLUMN "features" SMALLINT NOT NULL DEFAULT 0;

-- An event's sections in the order they are drawn from the stage back.
CREATE TABLE "EventSection" (
    "eventId" UUID NOT NULL,
    "name" VARCHAR(40) NOT NULL,
    "position" SMALLINT NOT NULL,
    CONSTRAINT "EventSection_pkey" PRIMARY KEY ("eventId", "name")
);
ALTER TABLE "EventSection" ADD CONSTRAINT "EventSection_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "VenueTemplate" (
    "id" UUID NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "layout" JSONB NOT NULL,
    "seats" INTEGER NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "VenueTemplate_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "VenueTemplate_name_key" ON "VenueTemplate"("name");
ALTER TABLE "VenueTemplate" ADD CONSTRAINT "VenueTemplate_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
