import type { SeatCounts } from '../../../shared/inventory.js';
import type { Db } from '../../db/database.js';
import { NOW, type Tx } from '../../db/transact.js';

export const NO_SEATS: SeatCounts = { total: 0, available: 0, reserved: 0, sold: 0 };

/** Seat counts of several events in one query; an expired hold counts as available. */
export async function seatCounts(db: Db | Tx, eventIds: string[]): Promise<Map<string, SeatCounts>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ eventId: string; total: number; reserved: number; sold: number }>>`
    SELECT "eventId"::text AS "eventId",
           count(*)::int AS total,
           (count(*) FILTER (WHERE status = 'RESERVED' AND "holdExpiresAt" > ${NOW}))::int AS reserved,
           (count(*) FILTER (WHERE status = 'SOLD'))::int AS sold
    FROM "Ticket"
    WHERE "eventId" = ANY(${eventIds}::uuid[])
    GROUP BY "eventId"`;
  return new Map(rows.map((r) => [r.eventId, { total: r.total, available: r.total - r.reserved - r.sold, reserved: r.reserved, sold: r.sold }]));
}
