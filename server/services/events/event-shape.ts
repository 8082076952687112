import type { Event } from '../../../shared/events.js';
import type { PaymentMethod } from '../../../shared/orders.js';
import type { Db } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { NO_SEATS, seatCounts } from '../inventory/seat-counts.js';
import type { Tx } from '../../db/transact.js';

export const eventSelect = {
  id: true,
  name: true,
  description: true,
  venue: true,
  startsAt: true,
  endsAt: true,
  imageUrl: true,
  timeZone: true,
  status: true,
  paymentMethods: true,
  payLaterDays: true,
  transfersAllowed: true,
  tiers: { select: { priceCents: true, currency: true } },
} satisfies Prisma.EventSelect;

export type EventRow = Prisma.EventGetPayload<{ select: typeof eventSelect }>;

/** Events in the shape of the API (docs/api.md), with seat counts for all of them in one query. */
export async function toEvents(db: Db | Tx, rows: EventRow[]): Promise<Event[]> {
  const counts = await seatCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const cheapest = row.tiers.reduce<EventRow['tiers'][number] | null>((min, tier) => (!min || tier.priceCents < min.priceCents ? tier : min), null);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      venue: row.venue,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt?.toISOString() ?? null,
      imageUrl: row.imageUrl,
      timeZone: row.timeZone,
      status: row.status,
      paymentMethods: row.paymentMethods as PaymentMethod[],
      payLaterDays: row.payLaterDays,
      transfersAllowed: row.transfersAllowed,
      minPriceCents: cheapest?.priceCents ?? null,
      currency: cheapest?.currency ?? null,
      seats: counts.get(row.id) ?? NO_SEATS,
    };
  });
}

export async function toEvent(db: Db | Tx, row: EventRow): Promise<Event> {
  const [event] = await toEvents(db, [row]);
  return event!;
}
