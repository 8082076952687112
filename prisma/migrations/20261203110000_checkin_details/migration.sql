-- A duplicate scan at the door says when, where and by whom the ticket was first admitted; the
-- check-in page counts admissions per event.
ALTER TABLE "IssuedTicket" ADD COLUMN "checkedInById" UUID;
ALTER TABLE "IssuedTicket" ADD COLUMN "checkedInGate" VARCHAR(40);
ALTER TABLE "IssuedTicket" ADD CONSTRAINT "IssuedTicket_checkedInById_fkey" FOREIGN KEY ("checkedInById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "IssuedTicket_eventId_status_idx" ON "IssuedTicket"("eventId", "status");
