import type { AppDeps } from '../../deps.js';
import type { EventPage, ListEventsInput } from '../../../shared/events.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { afterCursor, pageOf } from '../../db/pagination.js';
import { eventSelect, toEvents } from './event-shape.js';

/**
 * Upcoming events (not yet started) by start time; `includePast` adds the rest. Customers see
 * events on sale only; staff see drafts and cancelled ones too. Keyset pagination on (startsAt, id).
 */
export async function listEvents(deps: Pick<AppDeps, 'db'>, input: ListEventsInput & { staff: boolean }): Promise<EventPage> {
  const where: Prisma.EventWhereInput[] = [];
  if (!input.staff) where.push({ status: 'ON_SALE' });
  if (!input.includePast) where.push({ startsAt: { gt: new Date() } });
  if (input.q) {
    // Prisma passes LIKE wildcards through; a search for "100%" means the characters.
    const text = input.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push({
      OR: [{ name: { contains: text, mode: 'insensitive' } }, { venue: { contains: text, mode: 'insensitive' } }],
    });
  }
  where.push(afterCursor(input.cursor, 'startsAt', 'asc'));
  const rows = await deps.db.event.findMany({
    where: { AND: where },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: input.limit + 1,
    select: eventSelect,
  });
  const { page, nextCursor } = pageOf(rows, input.limit, (row) => row.startsAt);
  return { items: await toEvents(deps.db, page), nextCursor };
}
