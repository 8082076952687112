import type { AppDeps } from '../../deps.js';
import type { Order } from '../../../shared/orders.js';
import { AppError } from '../errors.js';
import { NOW, transact, type Tx } from '../../db/transact.js';
import { orderSelect, toOrder } from './order-shape.js';
import { recordAction, type Actor } from '../audit/record-event.js';

/**
 * Cancels (refunds) an order: its seats go back on sale and its tickets stop scanning. A customer
 * may cancel their own order until the event starts, unless a ticket was already scanned; staff may
 * cancel any order at any time. Cancelling a cancelled or expired order returns it unchanged; an
 * unpaid (pay-later) order is cancelled the same way, with nothing to refund. The buyer is
 * mailed about the refund (queued here, sent by the outbox).
 */
export async function cancelOrder(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { id: string; viewerId: string; staff: boolean },
  actor: Actor,
): Promise<Order> {
  const id = await transact(deps.database, (tx) => cancelOrderIn(tx, input, actor));
  return toOrder(await deps.db.order.findUniqueOrThrow({ where: { id }, select: orderSelect }), input.staff ? 'staff' : { id: input.viewerId });
}

/** cancelOrder's work inside the caller's transaction (refundTickets cancels in its own when every ticket is named). */
export async function cancelOrderIn(tx: Tx, input: { id: string; viewerId: string; staff: boolean }, actor: Actor): Promise<string> {
  const [order] = await tx.$queryRaw<
    Array<{
      userId: string | null;
      eventId: string;
      number: string;
      totalCents: number;
      refundedCents: number;
      currency: string;
      status: string;
      started: boolean;
      scanned: boolean;
      passedOn: boolean;
    }>
  >`
      SELECT o."userId"::text AS "userId", o."eventId"::text AS "eventId", o.number, o."totalCents", o."refundedCents", o.currency,
             o.status::text AS status, e."startsAt" <= ${NOW} AS started,
             EXISTS (SELECT 1 FROM "IssuedTicket" it WHERE it."orderId" = o.id AND it.status = 'CHECKED_IN') AS scanned,
             EXISTS (SELECT 1 FROM "IssuedTicket" it JOIN "TicketTransfer" x ON x."ticketId" = it.id
                     WHERE it."orderId" = o.id AND x.status = 'CLAIMED') AS "passedOn"
      FROM "Order" o JOIN "Event" e ON e.id = o."eventId"
      WHERE o.id = ${input.id}::uuid
      FOR UPDATE OF o`;
  if (!order || (!input.staff && order.userId !== input.viewerId)) throw new AppError('ORDER_NOT_FOUND', 'Order not found.');
  if (order.status === 'CANCELLED' || order.status === 'EXPIRED') return input.id;
  if (!input.staff && order.started) throw new AppError('ORDER_NOT_CANCELLABLE', 'The event has started; this order can no longer be cancelled.');
  if (!input.staff && order.scanned) throw new AppError('ORDER_NOT_CANCELLABLE', 'A ticket of this order was already used; ask the box office.');
  // Refunding the buyer would take a ticket from someone it was passed to: staff decide that.
  if (!input.staff && order.passedOn)
    throw new AppError('ORDER_NOT_CANCELLABLE', 'A ticket of this order was passed on to someone else; ask the box office to cancel it.');

  // Seats are locked in the same (rowName, seatNumber) order as reserve and purchase lock them.
  await tx.$queryRaw`
      SELECT 1 AS locked FROM "Ticket" WHERE "orderId" = ${input.id}::uuid ORDER BY "rowName", "seatNumber" FOR UPDATE`;
  await tx.$executeRaw`UPDATE "Ticket" SET status = 'AVAILABLE', "orderId" = NULL WHERE "orderId" = ${input.id}::uuid`;
  await queueHolderMail(tx, input.id, null);
  await tx.issuedTicket.updateMany({ where: { orderId: input.id }, data: { status: 'CANCELLED' } });
  // Links sent for its tickets stop working (a claim would find the ticket cancelled anyway).
  await tx.$executeRaw`
      UPDATE "TicketTransfer" SET status = 'CANCELLED', "endedAt" = ${NOW}
      WHERE status = 'PENDING' AND "ticketId" IN (SELECT id FROM "IssuedTicket" WHERE "orderId" = ${input.id}::uuid)`;
  // A paid order pays back what it has not paid back yet (tickets refunded before are not refunded twice);
  // an unpaid (pay-later) order is cancelled without a refund: nothing was paid.
  const unpaid = order.status === 'PENDING';
  const refundCents = unpaid ? 0 : order.totalCents - order.refundedCents;
  await tx.order.update({
    where: { id: input.id },
    data: { status: 'CANCELLED', cancelledAt: new Date(), refundedCents: unpaid ? 0 : order.totalCents },
    select: { id: true },
  });
  // A code the order used can be used again (as pretix gives a cancelled position's voucher back).
  await tx.$executeRaw`
      UPDATE "Voucher" SET uses = uses - 1 WHERE id = (SELECT "voucherId" FROM "Order" WHERE id = ${input.id}::uuid) AND uses > 0`;
  // The refund mail goes out after the commit, from the outbox.
  await tx.mailJob.create({ data: { kind: 'ORDER_CANCELLED', orderId: input.id, detail: { amountCents: refundCents } }, select: { id: true } });
  await recordAction(tx, actor, {
    type: 'order_cancel',
    userId: order.userId,
    eventId: order.eventId,
    orderId: input.id,
    detail: {
      number: order.number,
      refundCents,
      currency: order.currency,
      before: { status: order.status },
      after: { status: 'CANCELLED' },
    },
  });
  return input.id;
}

/**
 * Queues a mail to each person holding valid tickets of the order by a transfer (not its buyer),
 * about to be cancelled: of the whole order (`barcodes` null), or those named. The buyer's own mail
 * says what was refunded; the holder's says their ticket no longer opens the door.
 */
export async function queueHolderMail(tx: Tx, orderId: string, barcodes: string[] | null): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "MailJob" (kind, "orderId", detail)
    SELECT 'HELD_TICKET_CANCELLED', it."orderId", jsonb_build_object('holderId', it."holderId", 'ticketIds', jsonb_agg(it.id ORDER BY it."rowName", it."seatNumber"))
    FROM "IssuedTicket" it JOIN "Order" o ON o.id = it."orderId"
    WHERE it."orderId" = ${orderId}::uuid AND it.status = 'VALID' AND it."holderId" IS NOT NULL AND it."holderId" IS DISTINCT FROM o."userId"
      AND (${barcodes}::text[] IS NULL OR it.barcode = ANY(${barcodes}::text[]))
    GROUP BY it."orderId", it."holderId"`;
}
