import type { AppDeps } from '../../deps.js';
import type { EventWithTiers } from '../../../shared/events.js';
import { AppError } from '../errors.js';
import { eventSelect, toEvent } from './event-shape.js';

const tierSelect = { id: true, name: true, priceCents: true, currency: true, hidden: true } as const;

/** One event with its tiers (in the order staff created them) and group discounts. Drafts are invisible to customers. */
export async function getEvent(deps: Pick<AppDeps, 'db'>, input: { id: string; staff: boolean }): Promise<EventWithTiers> {
  const row = await deps.db.event.findUnique({
    where: { id: input.id },
    select: {
      ...eventSelect,
      tiers: { select: tierSelect, orderBy: { seq: 'asc' } },
      discounts: { select: { minQuantity: true, percentOff: true }, orderBy: { minQuantity: 'asc' } },
    },
  });
  if (!row || (row.status === 'DRAFT' && !input.staff)) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  return { ...(await toEvent(deps.db, row)), tiers: row.tiers, groupDiscounts: row.discounts };
}
