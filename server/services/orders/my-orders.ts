import type { AppDeps } from '../../deps.js';
import type { Order } from '../../../shared/orders.js';
import { orderSelect, toOrder } from './order-shape.js';

/** The caller's orders, newest first. */
export async function myOrders(deps: Pick<AppDeps, 'db'>, userId: string): Promise<Order[]> {
  const rows = await deps.db.order.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: orderSelect,
  });
  return rows.map((row) => toOrder(row, { id: userId }));
}
