import type { AppDeps } from '../../deps.js';
import type { IssuedTicket } from '../../../shared/tickets.js';
import { issuedTicketSelect, toIssuedTicket } from '../orders/order-shape.js';

/**
 * Every ticket the caller holds (bought, or received by a transfer; cancelled ones too, marked so),
 * and the ones they sent to someone who claimed them (TRANSFERRED, under their old barcode), by
 * event date then seat.
 */
export async function myTickets(deps: Pick<AppDeps, 'db'>, userId: string): Promise<IssuedTicket[]> {
  const rows = await deps.db.issuedTicket.findMany({
    where: {
      OR: [
        { holderId: userId },
        { holderId: null, order: { userId }, transfers: { none: { status: 'CLAIMED' } } },
        { transfers: { some: { fromUserId: userId, status: 'CLAIMED' } } },
      ],
    },
    select: issuedTicketSelect,
  });
  return rows
    .map((row) => toIssuedTicket(row, { id: userId }))
    .sort(
      (a, b) =>
        a.startsAt.localeCompare(b.startsAt) ||
        a.eventId.localeCompare(b.eventId) ||
        a.row.length - b.row.length ||
        a.row.localeCompare(b.row) ||
        a.number - b.number,
    );
}
