import type { AppDeps } from '../../deps.js';
import type { ScanResult } from '../../../shared/checkin.js';
import { NOW } from '../../db/transact.js';
import { issuedTicketSelect, toIssuedTicket } from '../orders/order-shape.js';
import { normalizeBarcode } from '../tickets/barcode.js';
import { recordAction, type Actor } from '../audit/record-event.js';

/**
 * Admits a ticket once. The admission is one conditional UPDATE (status VALID -> CHECKED_IN), so of
 * two simultaneous scans of one barcode exactly one gets OK. Unknown, cancelled, wrong-event and
 * cancelled-event tickets are INVALID, with a reason for the person at the door.
 */
export async function scanTicket(deps: Pick<AppDeps, 'db'>, input: { barcode: string; eventId?: string }, actor: Actor): Promise<ScanResult> {
  const barcode = normalizeBarcode(input.barcode);
  if (!barcode) return { result: 'INVALID', reason: 'Unknown ticket.' };
  const eventId = input.eventId ?? null;
  // The admission and its audit row commit together.
  const admitted = await deps.db.$transaction(async (tx) => {
    const [ticket] = await tx.$queryRaw<Array<{ orderId: string; eventId: string; userId: string | null; seat: string }>>`
      UPDATE "IssuedTicket" it SET status = 'CHECKED_IN', "checkedInAt" = ${NOW}
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
      detail: { seat: ticket.seat, before: { status: 'VALID' }, after: { status: 'CHECKED_IN' } },
    });
    return 1;
  });
  const row = await deps.db.issuedTicket.findUnique({
    where: { barcode },
    select: { ...issuedTicketSelect, seat: { select: { event: { select: { name: true, startsAt: true, status: true } } } } },
  });
  if (!row) return { result: 'INVALID', reason: 'Unknown ticket.' };
  const ticket = toIssuedTicket(row);
  if (admitted === 1) return { result: 'OK', ticket };
  if (eventId && row.eventId !== eventId) return { result: 'INVALID', reason: `This ticket is for another event: ${ticket.eventName}.`, ticket };
  if (row.status === 'CHECKED_IN') return { result: 'ALREADY_CHECKED_IN', ticket };
  if (row.status === 'CANCELLED') return { result: 'INVALID', reason: 'This ticket was cancelled.', ticket };
  return { result: 'INVALID', reason: 'This event is cancelled.', ticket };
}
