import type { SeatMap, SeatStatus } from '../../../shared/inventory.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../errors.js';
import { NOW } from './transact.js';

/**
 * The seat map: every seat's status, tier and whether it is the caller's own (held or bought).
 * Never who else holds or owns a seat. An expired hold shows AVAILABLE at once. The seats come in
 * one query, aggregated per row in the database (arrays, not one JS object per row from the driver),
 * rows in natural order: A..Z, AA, AB...
 */
export async function seatMap(
  db: Db,
  input: { eventId: string; viewerId: string | null; staff: boolean; holdMinutes: number },
): Promise<SeatMap> {
  const event = await db.event.findUnique({
    where: { id: input.eventId },
    select: {
      status: true,
      tiers: { select: { id: true, name: true, priceCents: true, currency: true }, orderBy: [{ priceCents: 'asc' }, { name: 'asc' }] },
    },
  });
  if (!event || (event.status === 'DRAFT' && !input.staff)) throw new AppError('NOT_FOUND', 'Event not found.');

  const viewer = input.viewerId;
  // Tiers travel as their position in this list: 20,000 small numbers instead of 20,000 UUIDs.
  const tierIds = event.tiers.map((tier) => tier.id);
  const rows = await db.$queryRaw<Array<{ name: string; numbers: number[]; statuses: string; tiers: number[]; mine: string }>>`
    SELECT t."rowName" AS name,
           array_agg(t."seatNumber" ORDER BY t."seatNumber") AS numbers,
           string_agg(CASE WHEN t.status = 'SOLD' THEN 'S' WHEN t.status = 'RESERVED' AND t."holdExpiresAt" > ${NOW} THEN 'R' ELSE 'A' END,
                      '' ORDER BY t."seatNumber") AS statuses,
           array_agg(array_position(${tierIds}::uuid[], t."tierId") ORDER BY t."seatNumber") AS tiers,
           string_agg(CASE WHEN ${viewer}::uuid IS NOT NULL AND (
                             (t.status = 'RESERVED' AND t."holdExpiresAt" > ${NOW} AND t."heldById" = ${viewer}::uuid)
                             OR (t.status = 'SOLD' AND t."orderId" IN (SELECT id FROM "Order" WHERE "userId" = ${viewer}::uuid)))
                           THEN '1' ELSE '0' END, '' ORDER BY t."seatNumber") AS mine
    FROM "Ticket" t
    WHERE t."eventId" = ${input.eventId}::uuid
    GROUP BY t."rowName"
    ORDER BY length(t."rowName"), t."rowName" COLLATE "C"`;

  const statusOf: Record<string, SeatStatus> = { A: 'AVAILABLE', R: 'RESERVED', S: 'SOLD' };
  return {
    eventId: input.eventId,
    holdMinutes: input.holdMinutes,
    tiers: event.tiers,
    rows: rows.map((row) => ({
      name: row.name,
      seats: row.numbers.map((number, i) => ({
        number,
        status: statusOf[row.statuses[i]!]!,
        tierId: tierIds[row.tiers[i]! - 1]!,
        mine: row.mine[i] === '1',
      })),
    })),
  };
}
