import type { Tx } from '../../db/transact.js';
import { AppError } from '../errors.js';

/**
 * Locks the event's row for the rest of the transaction and checks it can still be changed. Every
 * write that replaces a set of the event's rows (tiers, group discounts) takes it first, so two
 * such calls run one after the other instead of interleaving their delete and insert (which
 * collided on a unique key: five identical parallel calls answered one 200 and four 500s).
 * Reserves and purchases hold the row FOR SHARE, so they wait the few milliseconds this takes.
 */
export async function lockEventForChange(tx: Tx, eventId: string): Promise<void> {
  const [event] = await tx.$queryRaw<Array<{ status: string }>>`
    SELECT status::text AS status FROM "Event" WHERE id = ${eventId}::uuid FOR UPDATE`;
  if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  if (event.status === 'CANCELLED') throw new AppError('EVENT_CANCELLED', 'This event is cancelled and can no longer be changed.');
}
