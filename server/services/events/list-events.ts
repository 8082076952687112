import type { AppDeps } from '../../deps.js';
import type { EventPage, ListEventsInput } from '../../../shared/events.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { afterCursor, pageOf } from '../../db/pagination.js';
import { eventSelect, toEvents } from './event-shape.js';

/**
 * Upcoming events (not yet started) by start time; `includePast` adds the rest. Customers see
 * events on sale only; staff see drafts and cancelled ones too. Filters: text (name or venue), a
 * start-time range, one venue, a most-you-would-pay price. Keyset pagination on (startsAt, id).
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
  if (input.from) where.push({ startsAt: { gte: new Date(input.from) } });
  if (input.to) where.push({ startsAt: { lt: new Date(input.to) } });
  if (input.venue) where.push({ venue: { equals: input.venue, mode: 'insensitive' } });
  if (input.maxPriceCents !== undefined) where.push({ tiers: { some: { priceCents: { lte: input.maxPriceCents } } } });
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

/** The venues of the events a visitor can find (upcoming and on sale), for the venue filter: each once, A to Z. */
export async function listVenues(deps: Pick<AppDeps, 'db'>): Promise<string[]> {
  const rows = await deps.db.event.findMany({
    where: { status: 'ON_SALE', startsAt: { gt: new Date() } },
    distinct: ['venue'],
    select: { venue: true },
    orderBy: { venue: 'asc' },
    take: 500,
  });
  return rows.map((r) => r.venue);
}
