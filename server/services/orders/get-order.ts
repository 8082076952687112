import type { AppDeps } from '../../deps.js';
import type { Order } from '../../../shared/orders.js';
import { AppError } from '../errors.js';
import { orderSelect, toOrder } from './order-shape.js';

/** The caller's own order; staff may read any. Someone else's order is NOT_FOUND, as if it did not exist. */
export async function getOrder(deps: Pick<AppDeps, 'db'>, input: { id: string; viewerId: string; staff: boolean }): Promise<Order> {
  const row = await deps.db.order.findUnique({ where: { id: input.id }, select: orderSelect });
  if (!row || (!input.staff && row.userId !== input.viewerId)) throw new AppError('ORDER_NOT_FOUND', 'Order not found.');
  return toOrder(row, input.staff ? 'staff' : { id: input.viewerId });
}
