import type { AppDeps } from '../../deps.js';
import type { MarkPaidInput, Order } from '../../../shared/orders.js';
import { Prisma } from '../../generated/prisma/client.js';
import { AppError } from '../errors.js';
import { NOW, transact } from '../../db/transact.js';
import { orderSelect, toOrder } from './order-shape.js';
import { recordAction, type Actor } from '../audit/record-event.js';

/**
 * Staff record that a pay-later order was paid in full (at the box office, or a bank transfer that
 * arrived with its reference). The order turns PAID, its tickets VALID, and the confirmation mail
 * with the tickets is queued in the same transaction. One conditional UPDATE decides: of a payment
 * and the sweeper expiring the same order at the same moment, exactly one wins (the row lock
 * orders them; the loser finds it no longer PENDING). A payment recorded after the deadline but
 * before the sweeper expired the order is accepted: its seats were never offered again. Marking a
 * paid order again answers it unchanged; an expired or cancelled one is refused.
 */
export async function markOrderPaid(deps: Pick<AppDeps, 'db' | 'database'>, input: MarkPaidInput, actor: Actor): Promise<Order> {
  const which = 'id' in input ? Prisma.sql`id = ${input.id}::uuid` : Prisma.sql`number = ${input.reference}`;
  const id = await transact(deps.database, async (tx) => {
    const [paid] = await tx.$queryRaw<
      Array<{
        id: string;
        userId: string | null;
        eventId: string;
        number: string;
        totalCents: number;
        currency: string;
        paymentMethod: string;
        late: boolean;
      }>
    >`
      UPDATE "Order" SET status = 'PAID', "paidAt" = ${NOW}
      WHERE ${which} AND status = 'PENDING'
      RETURNING id::text, "userId"::text AS "userId", "eventId"::text AS "eventId", number, "totalCents", currency, "paymentMethod",
                "paymentDueAt" < ${NOW} AS late`;
    if (!paid) {
      const [order] = await tx.$queryRaw<Array<{ id: string; status: string; cancelledAt: Date | null }>>`
        SELECT id::text, status::text AS status, "cancelledAt" FROM "Order" WHERE ${which}`;
      if (!order) throw new AppError('ORDER_NOT_FOUND', 'No order has this reference.');
      if (order.status === 'PAID') return order.id;
      if (order.status === 'EXPIRED')
        throw new AppError(
          'ORDER_NOT_PAYABLE',
          'This order was not paid by its deadline and has expired: its seats went back on sale. Sell them again.',
        );
      throw new AppError('ORDER_NOT_PAYABLE', 'This order was cancelled; it cannot be paid.');
    }
    await tx.$executeRaw`UPDATE "IssuedTicket" SET status = 'VALID' WHERE "orderId" = ${paid.id}::uuid AND status = 'PENDING'`;
    // The tickets go out by mail after the commit, from the outbox.
    await tx.$executeRaw`INSERT INTO "MailJob" (kind, "orderId") VALUES ('ORDER_CONFIRMED', ${paid.id}::uuid)`;
    await recordAction(tx, actor, {
      type: 'order_paid',
      userId: paid.userId,
      eventId: paid.eventId,
      orderId: paid.id,
      detail: {
        number: paid.number,
        amountCents: paid.totalCents,
        currency: paid.currency,
        method: paid.paymentMethod,
        ...(paid.late ? { afterDeadline: true } : {}),
        before: { status: 'PENDING' },
        after: { status: 'PAID' },
      },
    });
    return paid.id;
  });
  return toOrder(await deps.db.order.findUniqueOrThrow({ where: { id }, select: orderSelect }), 'staff');
}
