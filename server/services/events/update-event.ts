import type { AppDeps } from '../../deps.js';
import type { Event, UpdateEventInput } from '../../../shared/events.js';
import { AppError, fieldError } from '../errors.js';
import { transact } from '../../db/transact.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { eventSelect, toEvent } from './event-shape.js';

const AUDITED = [
  'name',
  'description',
  'venue',
  'startsAt',
  'endsAt',
  'imageUrl',
  'timeZone',
  'status',
  'paymentMethods',
  'payLaterDays',
  'transfersAllowed',
] as const;
type Audited = Record<(typeof AUDITED)[number], string | null>;

/** Changes the given fields; `endsAt: null` clears the end. A cancelled event stays as it is. */
export async function updateEvent(deps: Pick<AppDeps, 'db' | 'database'>, input: UpdateEventInput, actor: Actor): Promise<Event> {
  return transact(deps.database, async (tx) => {
    const [current] = await tx.$queryRaw<
      Array<{
        status: string;
        startsAt: Date;
        endsAt: Date | null;
        name: string;
        description: string | null;
        venue: string;
        imageUrl: string | null;
        timeZone: string;
        paymentMethods: string[];
        payLaterDays: number;
        transfersAllowed: boolean;
      }>
    >`
      SELECT status::text AS status, "startsAt", "endsAt", name, description, venue, "imageUrl", "timeZone", "paymentMethods", "payLaterDays", "transfersAllowed" FROM "Event" WHERE id = ${input.id}::uuid FOR UPDATE`;
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
        timeZone: input.timeZone,
        status: input.status,
        paymentMethods: input.paymentMethods,
        payLaterDays: input.payLaterDays,
        transfersAllowed: input.transfersAllowed,
      },
      select: eventSelect,
    });
    const was = auditable(current);
    const now = auditable({ ...row, status: row.status });
    const changed = AUDITED.filter((field) => was[field] !== now[field]);
    if (changed.length > 0) {
      await recordAction(tx, actor, {
        type: 'event_update',
        eventId: input.id,
        detail: {
          before: Object.fromEntries(changed.map((f) => [f, was[f]])),
          after: Object.fromEntries(changed.map((f) => [f, now[f]])),
        },
      });
    }
    return toEvent(tx, row);
  });
}

/** The fields the audit log compares, as text (a long description is cut to 200 characters). */
function auditable(e: {
  name: string;
  description: string | null;
  venue: string;
  startsAt: Date;
  endsAt: Date | null;
  imageUrl: string | null;
  timeZone: string;
  status: string;
  paymentMethods: string[];
  payLaterDays: number;
  transfersAllowed: boolean;
}): Audited {
  return {
    name: e.name,
    description: e.description === null ? null : e.description.length > 200 ? `${e.description.slice(0, 200)}…` : e.description,
    venue: e.venue,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt?.toISOString() ?? null,
    imageUrl: e.imageUrl,
    timeZone: e.timeZone,
    status: e.status,
    paymentMethods: e.paymentMethods.join(', '),
    payLaterDays: String(e.payLaterDays),
    transfersAllowed: String(e.transfersAllowed),
  };
}
