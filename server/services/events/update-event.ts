import type { AppDeps } from '../../deps.js';
import type { Event, UpdateEventInput } from '../../../shared/events.js';
import { AppError, fieldError } from '../errors.js';
import { transact } from '../../db/transact.js';
import { eventSelect, toEvent } from './event-shape.js';

/** Changes the given fields; `endsAt: null` clears the end. A cancelled event stays as it is. */
export async function updateEvent(deps: Pick<AppDeps, 'db' | 'database'>, input: UpdateEventInput): Promise<Event> {
  return transact(deps.database, async (tx) => {
    const [current] = await tx.$queryRaw<Array<{ status: string; startsAt: Date; endsAt: Date | null }>>`
      SELECT status::text AS status, "startsAt", "endsAt" FROM "Event" WHERE id = ${input.id}::uuid FOR UPDATE`;
    if (!current) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
    if (current.status === 'CANCELLED') throw new AppError('EVENT_CANCELLED', 'This event is cancelled and can no longer be changed.');
    const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
    const endsAt = input.endsAt === undefined ? current.endsAt : input.endsAt === null ? null : new Date(input.endsAt);
    if (endsAt && endsAt <= startsAt) throw fieldError('endsAt', 'The end must be after the start.');
    const row = await tx.event.update({
      where: { id: input.id },
      data: {
        name: input.name,
        description: input.description,
        venue: input.venue,
        startsAt,
        endsAt,
        imageUrl: input.imageUrl,
        status: input.status,
      },
      select: eventSelect,
    });
    return toEvent(tx, row);
  });
}
