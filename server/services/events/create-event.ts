import type { AppDeps } from '../../deps.js';
import type { CreateEventInput, Event } from '../../../shared/events.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { eventSelect, toEvent } from './event-shape.js';

/** A new event, DRAFT unless asked otherwise, with no tiers or seats yet; the audit log records it. */
export async function createEvent(
  deps: Pick<AppDeps, 'db'> & { config?: Pick<AppDeps['config'], 'timeZone'> },
  input: CreateEventInput,
  actor: Actor | null,
): Promise<Event> {
  return deps.db.$transaction(async (tx) => {
    const row = await tx.event.create({
      data: {
        name: input.name,
        description: input.description ?? '',
        venue: input.venue,
        startsAt: new Date(input.startsAt),
        endsAt: input.endsAt ? new Date(input.endsAt) : null,
        imageUrl: input.imageUrl ?? null,
        timeZone: input.timeZone ?? deps.config?.timeZone ?? 'UTC',
        paymentMethods: input.paymentMethods,
        payLaterDays: input.payLaterDays,
        transfersAllowed: input.transfersAllowed,
        status: input.status ?? 'DRAFT',
        createdById: actor?.userId ?? null,
      },
      select: eventSelect,
    });
    await recordAction(tx, actor, {
      type: 'event_create',
      eventId: row.id,
      detail: {
        after: {
          name: row.name,
          venue: row.venue,
          startsAt: row.startsAt.toISOString(),
          timeZone: row.timeZone,
          status: row.status,
          paymentMethods: row.paymentMethods,
          payLaterDays: row.payLaterDays,
          transfersAllowed: row.transfersAllowed,
        },
      },
    });
    return toEvent(tx, row);
  });
}
