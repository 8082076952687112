import { AppError } from '../errors.js';
import { NOW, type Tx } from '../../db/transact.js';

/**
 * Inside a reserve or purchase: the event exists, is visible to the caller, is on sale (staff may
 * also sell a draft, to test it) and has not started. FOR SHARE keeps a concurrent cancel waiting
 * until this transaction ends, so nothing is sold after a cancel commits.
 */
export async function requireOnSale(tx: Tx, eventId: string, staff: boolean): Promise<void> {
  const [event] = await tx.$queryRaw<Array<{ status: string; started: boolean }>>`
    SELECT status::text AS status, "startsAt" <= ${NOW} AS started FROM "Event" WHERE id = ${eventId}::uuid FOR SHARE`;
  if (!event || (event.status === 'DRAFT' && !staff)) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  if (event.status === 'CANCELLED') throw new AppError('EVENT_CANCELLED', 'This event is cancelled; its seats are not on sale.');
  if (event.started) throw new AppError('SALES_CLOSED', 'Sales for this event have closed: it has already started.');
}

/** Outside a transaction: the event exists and the caller may see it (drafts are for staff). */
export async function requireVisible(db: Pick<Tx, '$queryRaw'>, eventId: string, staff: boolean): Promise<void> {
  const [event] = await db.$queryRaw<Array<{ status: string }>>`SELECT status::text AS status FROM "Event" WHERE id = ${eventId}::uuid`;
  if (!event || (event.status === 'DRAFT' && !staff)) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
}
