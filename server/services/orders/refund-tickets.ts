import type { AppDeps } from '../../deps.js';
import { refundShare, type Order, type RefundTicketsInput } from '../../../shared/orders.js';
import { compareSeats } from '../../../shared/seats.js';
import { AppError } from '../errors.js';
import { NOW, transact } from '../../db/transact.js';
import { cancelOrderIn, queueHolderMail } from './cancel-order.js';
import { orderSelect, toOrder } from './order-shape.js';
import { recordAction, type Actor } from '../audit/record-event.js';

/**
 * Staff refund some tickets of a paid order: their seats go back on sale, the tickets stop opening
 * the door, the order keeps its other tickets and adds the refund to `refundedCents`, the buyer is
 * mailed which tickets and how much, and the audit log has a row. All named tickets or none: a
 * ticket not of this order, already refunded or already used at the door refuses the whole call.
 * Naming every ticket still valid cancels the order (orders.cancel's rules, refunding what is left).
 * A pay-later order waiting for its payment has nothing to refund: cancel it, or record the payment
 * first.
 */
export async function refundTickets(deps: Pick<AppDeps, 'db' | 'database'>, input: RefundTicketsInput, actor: Actor): Promise<Order> {
  await transact(deps.database, async (tx) => {
    const [order] = await tx.$queryRaw<
      Array<{ userId: string | null; eventId: string; number: string; status: string; subtotalCents: number; totalCents: number; currency: string }>
    >`
      SELECT "userId"::text AS "userId", "eventId"::text AS "eventId", number, status::text AS status, "subtotalCents", "totalCents", currency
      FROM "Order" WHERE id = ${input.id}::uuid FOR UPDATE`;
    if (!order) throw new AppError('ORDER_NOT_FOUND', 'Order not found.');
    if (order.status === 'PENDING')
      throw new AppError('ORDER_NOT_PAID', 'This order waits for its payment: there is nothing to refund. Cancel it, or record the payment first.');
    if (order.status !== 'PAID') throw new AppError('ORDER_NOT_CANCELLABLE', 'This order is already cancelled; its tickets were refunded with it.');

    const tickets = await tx.$queryRaw<Array<{ barcode: string; rowName: string; seatNumber: number; priceCents: number; status: string }>>`
      SELECT barcode, "rowName", "seatNumber", "priceCents", status::text AS status FROM "IssuedTicket" WHERE "orderId" = ${input.id}::uuid`;
    const byBarcode = new Map(tickets.map((t) => [t.barcode, t]));
    const unknown = input.barcodes.filter((b) => !byBarcode.has(b));
    if (unknown.length > 0) throw new AppError('TICKET_NOT_FOUND', 'Some of these tickets are not of this order.', { barcodes: unknown });
    const chosen = input.barcodes.map((b) => byBarcode.get(b)!);
    const refunded = chosen.filter((t) => t.status === 'CANCELLED').map((t) => t.barcode);
    if (refunded.length > 0) throw new AppError('TICKET_NOT_REFUNDABLE', 'Some of these tickets were already refunded.', { barcodes: refunded });
    const used = chosen.filter((t) => t.status === 'CHECKED_IN').map((t) => t.barcode);
    if (used.length > 0) throw new AppError('TICKET_NOT_REFUNDABLE', 'Some of these tickets were already used at the door.', { barcodes: used });
    // Every ticket still valid: that is cancelling the order, in this transaction (the order row is locked).
    if (tickets.every((t) => t.status !== 'VALID' || input.barcodes.includes(t.barcode)) && !tickets.some((t) => t.status === 'CHECKED_IN')) {
      await cancelOrderIn(tx, { id: input.id, viewerId: actor.userId, staff: true }, actor);
      return;
    }

    const seats = chosen.map((t) => ({ row: t.rowName, number: t.seatNumber })).sort(compareSeats);
    const amountCents = refundShare(
      order,
      chosen.reduce((sum, t) => sum + t.priceCents, 0),
    );
    // Seats are locked in the same (rowName, seatNumber) order as reserve and purchase lock them.
    await tx.$queryRaw`
      SELECT 1 AS locked FROM "Ticket"
      WHERE "eventId" = ${order.eventId}::uuid AND "orderId" = ${input.id}::uuid
        AND ("rowName", "seatNumber") IN (SELECT * FROM unnest(${seats.map((s) => s.row)}::text[], ${seats.map((s) => s.number)}::int[]))
      ORDER BY "rowName", "seatNumber" FOR UPDATE`;
    await tx.$executeRaw`
      UPDATE "Ticket" SET status = 'AVAILABLE', "orderId" = NULL
      WHERE "eventId" = ${order.eventId}::uuid AND "orderId" = ${input.id}::uuid
        AND ("rowName", "seatNumber") IN (SELECT * FROM unnest(${seats.map((s) => s.row)}::text[], ${seats.map((s) => s.number)}::int[]))`;
    await queueHolderMail(tx, input.id, input.barcodes);
    await tx.$executeRaw`UPDATE "IssuedTicket" SET status = 'CANCELLED' WHERE barcode = ANY(${input.barcodes}::text[]) AND "orderId" = ${input.id}::uuid`;
    // Links sent for these tickets stop working.
    await tx.$executeRaw`
      UPDATE "TicketTransfer" SET status = 'CANCELLED', "endedAt" = ${NOW}
      WHERE status = 'PENDING' AND "ticketId" IN (SELECT id FROM "IssuedTicket" WHERE barcode = ANY(${input.barcodes}::text[]) AND "orderId" = ${input.id}::uuid)`;
    await tx.$executeRaw`UPDATE "Order" SET "refundedCents" = "refundedCents" + ${amountCents} WHERE id = ${input.id}::uuid`;
    // The buyer's mail goes out after the commit, from the outbox.
    await tx.mailJob.create({
      data: { kind: 'TICKETS_REFUNDED', orderId: input.id, detail: { barcodes: input.barcodes, amountCents } },
      select: { id: true },
    });
    await recordAction(tx, actor, {
      type: 'order_refund_tickets',
      userId: order.userId,
      eventId: order.eventId,
      orderId: input.id,
      detail: {
        number: order.number,
        seats: seats.map((s) => `${s.row}${s.number}`).join(', '),
        tickets: chosen.length,
        refundCents: amountCents,
        currency: order.currency,
      },
    });
  });
  return toOrder(await deps.db.order.findUniqueOrThrow({ where: { id: input.id }, select: orderSelect }), 'staff');
}
