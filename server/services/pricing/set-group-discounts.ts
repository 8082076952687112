import type { AppDeps } from '../../deps.js';
import type { GroupDiscountRule } from '../../../shared/pricing.js';
import { transact } from '../../db/transact.js';
import { lockEventForChange } from '../events/lock-event.js';
import { recordAction, type Actor } from '../audit/record-event.js';

/** Replaces the event's group discount rules; returns them by minimum quantity. */
export async function setGroupDiscounts(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { eventId: string; rules: GroupDiscountRule[] },
  actor: Actor | null,
): Promise<GroupDiscountRule[]> {
  return transact(deps.database, async (tx) => {
    await lockEventForChange(tx, input.eventId);
    const read = () =>
      tx.groupDiscount.findMany({
        where: { eventId: input.eventId },
        select: { minQuantity: true, percentOff: true },
        orderBy: { minQuantity: 'asc' },
      });
    const before = await read();
    await tx.groupDiscount.deleteMany({ where: { eventId: input.eventId } });
    await tx.groupDiscount.createMany({ data: input.rules.map((r) => ({ ...r, eventId: input.eventId })) });
    const after = await read();
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await recordAction(tx, actor, { type: 'discounts_set', eventId: input.eventId, detail: { before, after } });
    }
    return after;
  });
}
