import { compareSeats, type Seat } from '../../../shared/seats.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../errors.js';
import { holderOf, holderSelect, printableTicketSelect } from '../orders/order-shape.js';
import { ticketsPdf } from './ticket-pdf.js';

/**
 * The tickets of one order as a PDF (all of them, or the one seat asked for): for the buyer (the
 * tickets they still hold), someone a ticket of it was passed to (that ticket), or staff. Someone
 * else's order is NOT_FOUND, as orders.byId answers it; a cancelled order has no tickets to print (they were refunded and no longer open the door), nor has an unpaid one.
 */
export async function orderTicketsPdf(
  deps: Pick<AppDeps, 'db' | 'config'>,
  input: { orderId: string; viewerId: string; staff: boolean; seat: Seat | null },
): Promise<{ filename: string; pdf: Buffer }> {
  const order = await deps.db.order.findUnique({
    where: { id: input.orderId },
    select: {
      number: true,
      userId: true,
      status: true,
      user: { select: { name: true } },
      event: { select: { name: true, venue: true, startsAt: true, timeZone: true } },
      tickets: { select: { ...printableTicketSelect, ...holderSelect, status: true, holder: { select: { name: true } } } },
    },
  });
  // Staff print every ticket; the buyer and anyone a ticket was passed to print the ones they hold.
  const mine = order ? order.tickets.filter((t) => input.staff || holderOf(t, order.userId) === input.viewerId) : [];
  if (!order || (!input.staff && order.userId !== input.viewerId && mine.length === 0)) throw new AppError('ORDER_NOT_FOUND', 'Order not found.');
  if (order.status === 'CANCELLED')
    throw new AppError('ORDER_CANCELLED', 'This order was cancelled and refunded; its tickets no longer open the door.');
  if (order.status === 'EXPIRED') throw new AppError('ORDER_CANCELLED', 'This order was not paid in time; it has no tickets.');
  // Tickets are printed once paid: a printed ticket of an unpaid order would not open the door.
  if (order.status === 'PENDING') throw new AppError('ORDER_NOT_PAID', 'This order waits for its payment; its tickets come once it is paid.');
  const tickets = mine
    .filter((t) => t.status !== 'CANCELLED')
    .map((t) => ({ ...t, row: t.rowName, number: t.seatNumber }))
    .filter((t) => !input.seat || (t.row === input.seat.row && t.number === input.seat.number))
    .sort(compareSeats);
  if (tickets.length === 0)
    throw new AppError(
      'SEATS_MISSING',
      input.seat ? 'This order has no ticket for that seat.' : 'None of this order’s tickets is yours to print: they were passed on or refunded.',
    );
  const pdf = await ticketsPdf(
    {
      number: order.number,
      eventName: order.event.name,
      venue: order.event.venue,
      startsAt: order.event.startsAt,
      // A ticket passed on carries its holder's name; the buyer's carry theirs.
      holderName: (tickets.length === 1 && tickets[0]!.holder ? tickets[0]!.holder.name : order.user?.name) ?? '',
      tickets,
    },
    order.event.timeZone,
  );
  const which = input.seat ? `-${input.seat.row}${input.seat.number}` : '';
  return { filename: `tickets-${order.number}${which}.pdf`, pdf };
}
