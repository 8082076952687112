-- Seat counts per event (events.list, events.byId, inventory.summary) read only these columns:
-- with this index they are index-only scans instead of visiting every seat row of the event.
-- CreateIndex
CREATE INDEX "Ticket_eventId_status_holdExpiresAt_idx" ON "Ticket"("eventId", "status", "holdExpiresAt");
