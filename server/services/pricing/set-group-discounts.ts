import type { AppDeps } from '../../deps.js';
import type { GroupDiscountRule } from '../../../shared/pricing.js';
import { AppError } from '../errors.js';
import { transact } from '../../db/transact.js';

/** Replaces the event's group discount rules; returns them by minimum quantity. */
export async function setGroupDiscounts(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { eventId: string; rules: GroupDiscountRule[] },
): Promise<GroupDiscountRule[]> {
  return transact(deps.database, async (tx) => {
    const event = await tx.event.findUnique({ where: { id: input.eventId }, select: { status: true } });
    if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
    if (event.status === 'CANCELLED') throw new AppError('EVENT_CANCELLED', 'This event is cancelled and can no longer be changed.');
    await tx.groupDiscount.deleteMany({ where: { eventId: input.eventId } });
    await tx.groupDiscount.createMany({ data: input.rules.map((r) => ({ ...r, eventId: input.eventId })) });
    return tx.groupDiscount.findMany({
      where: { eventId: input.eventId },
      select: { minQuantity: true, percentOff: true },
      orderBy: { minQuantity: 'asc' },
    });
  });
}
