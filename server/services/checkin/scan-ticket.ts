import type { AppDeps } from '../../deps.js';
import { OFFLINE_SCAN_MAX_AGE_MS, type Admission, type CheckinCounts, type ScanResult, type ScanTicketInput } from '../../../shared/checkin.js';
import { NOW } from '../../db/transact.js';
import { AppError } from '../errors.js';
import { issuedTicketSelect, toIssuedTicket } from '../orders/order-shape.js';
import { normalizeBarcode } from '../tickets/barcode.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import type { Db } from '../../db/database.js';

/**
 * Admits a ticket once. The admission is one conditional UPDATE (status VALID -> CHECKED_IN), so of
 * two simultaneous scans of one barcode exactly one gets OK (the first to reach the database),
 * and it records who scanned, at which gate and when (a scan queued offline dates itself, within
 * the last 24 hours). A later scan answers ALREADY_CHECKED_IN with that first admission. Unknown,
 * cancelled, wrong-event and cancelled-event tickets are INVALID, with a reason for the door.
 */
export async function scanTicket(deps: Pick<AppDeps, 'db'>, input: ScanTicketInput, actor: Actor): Promise<ScanResult> {
  const barcode = normalizeBarcode(input.barcode);
  if (!barcode) return { result: 'INVALID', reason: 'Unknown ticket.' };
  const eventId = input.eventId ?? null;
  const gate = input.gate ?? null;
  // Never in the future, never before the offline window: a wrong device clock cannot rewrite history.
  const scannedAt = input.scannedAt ? new Date(input.scannedAt) : null;
  const maxAgeSeconds = OFFLINE_SCAN_MAX_AGE_MS / 1000;
  // The admission and its audit row commit together.
  const admitted = await deps.db.$transaction(async (tx) => {
    const [ticket] = await tx.$queryRaw<Array<{ orderId: string; eventId: string; userId: string | null; seat: string }>>`
      UPDATE "IssuedTicket" it
      SET status = 'CHECKED_IN',
          "checkedInAt" = LEAST(${NOW}, GREATEST(COALESCE(${scannedAt}::timestamptz AT TIME ZONE 'UTC', ${NOW}), ${NOW} - make_interval(secs => ${maxAgeSeconds}))),
          "checkedInById" = ${actor.userId}::uuid,
          "checkedInGate" = ${gate}
      FROM "Event" e, "Order" o
      WHERE it.barcode = ${barcode} AND it.status = 'VALID' AND e.id = it."eventId" AND e.status <> 'CANCELLED'
        AND o.id = it."orderId" AND (${eventId}::uuid IS NULL OR it."eventId" = ${eventId}::uuid)
      RETURNING it."orderId"::text AS "orderId", it."eventId"::text AS "eventId", o."userId"::text AS "userId",
                it."rowName" || '-' || it."seatNumber" AS seat`;
    if (!ticket) return 0;
    await recordAction(tx, actor, {
      type: 'ticket_checkin',
      userId: ticket.userId,
      eventId: ticket.eventId,
      orderId: ticket.orderId,
      detail: { seat: ticket.seat, ...(gate ? { gate } : {}), before: { status: 'VALID' }, after: { status: 'CHECKED_IN' } },
    });
    return 1;
  });
  const row = await deps.db.issuedTicket.findUnique({
    where: { barcode },
    select: {
      ...issuedTicketSelect,
      checkedInGate: true,
      checkedInBy: { select: { name: true } },
    },
  });
  if (!row) {
    // A barcode replaced when its ticket was passed on (tickets.claimTransfer): say so at the door.
    const replaced = await deps.db.ticketTransfer.findFirst({ where: { oldBarcode: barcode, status: 'CLAIMED' }, select: { id: true } });
    return {
      result: 'INVALID',
      reason: replaced
        ? 'This ticket was passed on to someone else: its new holder has a new barcode, and this one no longer opens the door.'
        : 'Unknown ticket.',
    };
  }
  const ticket = toIssuedTicket(row, 'staff');
  const admission = (): Admission => ({ at: row.checkedInAt!.toISOString(), gate: row.checkedInGate, by: row.checkedInBy?.name ?? null });
  if (admitted === 1) return { result: 'OK', ticket, admission: admission(), counts: await checkinCounts(deps.db, row.eventId) };
  if (eventId && row.eventId !== eventId) return { result: 'INVALID', reason: `This ticket is for another event: ${ticket.eventName}.`, ticket };
  if (row.status === 'CHECKED_IN')
    return { result: 'ALREADY_CHECKED_IN', ticket, firstScan: admission(), counts: await checkinCounts(deps.db, row.eventId) };
  if (row.status === 'CANCELLED') return { result: 'INVALID', reason: 'This ticket was cancelled.', ticket };
  if (row.status === 'PENDING')
    return { result: 'INVALID', reason: 'Not paid yet: the order waits for its payment (take it at the box office).', ticket };
  return { result: 'INVALID', reason: 'This event is cancelled.', ticket };
}

/** Admitted and sold tickets of one event (an index-only count on IssuedTicket(eventId, status)). */
export async function checkinCounts(db: Db, eventId: string): Promise<CheckinCounts> {
  const [counts] = await db.$queryRaw<Array<{ checkedIn: number; sold: number }>>`
    SELECT count(*) FILTER (WHERE status = 'CHECKED_IN')::int AS "checkedIn", count(*)::int AS sold
    FROM "IssuedTicket" WHERE "eventId" = ${eventId}::uuid AND status IN ('VALID', 'CHECKED_IN')`;
  return { eventId, checkedIn: counts?.checkedIn ?? 0, sold: counts?.sold ?? 0 };
}

/** `checkin.stats`: the counter beside the scanner. */
export async function checkinStats(deps: Pick<AppDeps, 'db'>, input: { eventId: string }): Promise<CheckinCounts> {
  const event = await deps.db.event.findUnique({ where: { id: input.eventId }, select: { id: true } });
  if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  return checkinCounts(deps.db, input.eventId);
}
