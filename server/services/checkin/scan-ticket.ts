import type { AppDeps } from '../../deps.js';
import type { ScanResult } from '../../../shared/checkin.js';
import { NOW } from '../../db/transact.js';
import { issuedTicketSelect, toIssuedTicket } from '../orders/order-shape.js';
import { normalizeBarcode } from '../tickets/barcode.js';

/**
 * Admits a ticket once. The admission is one conditional UPDATE (status VALID -> CHECKED_IN), so of
 * two simultaneous scans of one barcode exactly one gets OK. Unknown, cancelled, wrong-event and
 * cancelled-event tickets are INVALID, with a reason for the person at the door.
 */
export async function scanTicket(deps: Pick<AppDeps, 'db'>, input: { barcode: string; eventId?: string }): Promise<ScanResult> {
  const barcode = normalizeBarcode(input.barcode);
  if (!barcode) return { result: 'INVALID', reason: 'Unknown ticket.' };
  const eventId = input.eventId ?? null;
  const admitted = await deps.db.$executeRaw`
    UPDATE "IssuedTicket" it SET status = 'CHECKED_IN', "checkedInAt" = ${NOW}
    FROM "Event" e
    WHERE it.barcode = ${barcode} AND it.status = 'VALID' AND e.id = it."eventId" AND e.status <> 'CANCELLED'
      AND (${eventId}::uuid IS NULL OR it."eventId" = ${eventId}::uuid)`;
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
