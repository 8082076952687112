import type { AppDeps } from '../../deps.js';
import type { ListOrdersInput, OrderPage } from '../../../shared/orders.js';
import type { Db } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { decodeCursor, encodeCursor } from '../events/cursor.js';
import { orderSelect, toOrder } from './order-shape.js';

/** Every order (staff), newest first, optionally of one event or one buyer; keyset pagination. */
export async function listOrders(deps: Pick<AppDeps, 'db'>, input: ListOrdersInput): Promise<OrderPage> {
  const where: Prisma.OrderWhereInput[] = [];
  if (input.eventId) where.push({ eventId: input.eventId });
  if (input.userId) where.push({ userId: input.userId });
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    where.push({ OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] });
  }
  const rows = await deps.db.order.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    select: orderSelect,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toOrder),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
