import type { AppDeps } from '../../deps.js';
import type { ListOrdersInput, OrderPage } from '../../../shared/orders.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { afterCursor, pageOf } from '../../db/pagination.js';
import { orderSelect, toOrder } from './order-shape.js';

/** Every order (staff), newest first, optionally of one event or one buyer, or the one with a number; keyset pagination. */
export async function listOrders(deps: Pick<AppDeps, 'db'>, input: ListOrdersInput): Promise<OrderPage> {
  const where: Prisma.OrderWhereInput[] = [];
  if (input.eventId) where.push({ eventId: input.eventId });
  if (input.userId) where.push({ userId: input.userId });
  if (input.number) where.push({ number: input.number });
  where.push(afterCursor(input.cursor, 'createdAt', 'desc'));
  const rows = await deps.db.order.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    select: orderSelect,
  });
  const { page, nextCursor } = pageOf(rows, input.limit, (row) => row.createdAt);
  return { items: page.map((row) => toOrder(row, 'staff')), nextCursor };
}
