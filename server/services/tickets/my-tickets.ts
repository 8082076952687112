import type { AppDeps } from '../../deps.js';
import type { IssuedTicket } from '../../../shared/tickets.js';
import { issuedTicketSelect, toIssuedTicket } from '../orders/order-shape.js';

/** Every ticket the caller bought (cancelled ones too, marked so), by event date then seat. */
export async function myTickets(deps: Pick<AppDeps, 'db'>, userId: string): Promise<IssuedTicket[]> {
  const rows = await deps.db.issuedTicket.findMany({
    where: { order: { userId } },
    select: issuedTicketSelect,
  });
  return rows
    .map(toIssuedTicket)
    .sort(
      (a, b) =>
        a.startsAt.localeCompare(b.startsAt) ||
        a.eventId.localeCompare(b.eventId) ||
        a.row.length - b.row.length ||
        a.row.localeCompare(b.row) ||
        a.number - b.number,
    );
}
