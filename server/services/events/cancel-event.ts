import type { AppDeps } from '../../deps.js';
import type { Event } from '../../../shared/events.js';
import { AppError } from '../errors.js';
import { transact } from '../../db/transact.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { eventSelect, toEvent } from './event-shape.js';

/**
 * Cancels an event for good: no more holds or sales, and current holds are dropped. Paid orders are
 * left as they are; refunding them is a decision for staff (orders.cancel), not a side effect.
 */
export async function cancelEvent(deps: Pick<AppDeps, 'db' | 'database'>, id: string, actor: Actor): Promise<Event> {
  return transact(deps.database, async (tx) => {
    // The row lock waits for reserves and purchases in flight (they hold FOR SHARE) and blocks new ones.
    const [current] = await tx.$queryRaw<Array<{ status: string }>>`
      SELECT status::text AS status FROM "Event" WHERE id = ${id}::uuid FOR UPDATE`;
    if (!current) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
    if (current.status !== 'CANCELLED') {
      await tx.event.update({ where: { id }, data: { status: 'CANCELLED' }, select: { id: true } });
      const releasedHolds = await tx.$executeRaw`
        UPDATE "Ticket" SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
        WHERE "eventId" = ${id}::uuid AND status = 'RESERVED'`;
      await recordAction(tx, actor, {
        type: 'event_cancel',
        eventId: id,
        detail: { before: { status: current.status }, after: { status: 'CANCELLED' }, releasedHolds },
      });
    }
    const row = await tx.event.findUniqueOrThrow({ where: { id }, select: eventSelect });
    return toEvent(tx, row);
  });
}
