import type { AppDeps } from '../../deps.js';
import type { CreateEventInput, Event } from '../../../shared/events.js';
import { eventSelect, toEvent } from './event-shape.js';

/** A new event, DRAFT unless asked otherwise, with no tiers or seats yet. */
export async function createEvent(deps: Pick<AppDeps, 'db'>, input: CreateEventInput & { createdById: string | null }): Promise<Event> {
  const row = await deps.db.event.create({
    data: {
      name: input.name,
      description: input.description ?? '',
      venue: input.venue,
      startsAt: new Date(input.startsAt),
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      imageUrl: input.imageUrl ?? null,
      status: input.status ?? 'DRAFT',
      createdById: input.createdById,
    },
    select: eventSelect,
  });
  return toEvent(deps.db, row);
}
