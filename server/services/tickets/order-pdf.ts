import { compareSeats, type Seat } from '../../../shared/seats.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../errors.js';
import { ticketsPdf } from './ticket-pdf.js';

/**
 * The tickets of one order as a PDF (all of them, or the one seat asked for): for the buyer, or
 * staff. Someone else's order is NOT_FOUND, as orders.byId answers it; a cancelled order has no
 * tickets to print (they were refunded and no longer open the door), nor has an unpaid one.
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
      tickets: { select: { barcode: true, rowName: true, seatNumber: true, tierName: true, priceCents: true, currency: true, status: true } },
    },
  });
  if (!order || (!input.staff && order.userId !== input.viewerId)) throw new AppError('ORDER_NOT_FOUND', 'Order not found.');
  if (order.status === 'CANCELLED')
    throw new AppError('ORDER_CANCELLED', 'This order was cancelled and refunded; its tickets no longer open the door.');
  if (order.status === 'EXPIRED') throw new AppError('ORDER_CANCELLED', 'This order was not paid in time; it has no tickets.');
  // Tickets are printed once paid: a printed ticket of an unpaid order would not open the door.
  if (order.status === 'PENDING') throw new AppError('ORDER_NOT_PAID', 'This order waits for its payment; its tickets come once it is paid.');
  const tickets = order.tickets
    .filter((t) => t.status !== 'CANCELLED')
    .map((t) => ({ ...t, row: t.rowName, number: t.seatNumber }))
    .filter((t) => !input.seat || (t.row === input.seat.row && t.number === input.seat.number))
    .sort(compareSeats);
  if (tickets.length === 0) throw new AppError('SEATS_MISSING', 'This order has no ticket for that seat.');
  const pdf = await ticketsPdf(
    {
      number: order.number,
      eventName: order.event.name,
      venue: order.event.venue,
      startsAt: order.event.startsAt,
      holderName: order.user?.name ?? '',
      tickets,
    },
    order.event.timeZone,
  );
  const which = input.seat ? `-${input.seat.row}${input.seat.number}` : '';
  return { filename: `tickets-${order.number}${which}.pdf`, pdf };
}
