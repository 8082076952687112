import type { Seat } from '../../../shared/inventory.js';
import type { Db } from '../../db/database.js';
import { seatPairs } from '../inventory/find-seats.js';
import { NOW } from '../inventory/transact.js';

/**
 * Releases the caller's own unexpired holds on these seats; anything else named is left alone.
 * One statement; its subquery locks the rows in seat order, as reserve and purchase do.
 */
export async function releaseSeats(db: Db, input: { userId: string; eventId: string; seats: Seat[] }): Promise<{ released: number }> {
  const released = await db.$executeRaw`
    UPDATE "Ticket" t
    SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
    FROM (
      SELECT s."rowName", s."seatNumber" FROM "Ticket" s
      JOIN ${seatPairs(input.seats)} ON s."rowName" = r.row_name AND s."seatNumber" = r.seat_number
      WHERE s."eventId" = ${input.eventId}::uuid AND s.status = 'RESERVED' AND s."heldById" = ${input.userId}::uuid
        AND s."holdExpiresAt" > ${NOW}
      ORDER BY s."rowName", s."seatNumber"
      FOR UPDATE OF s
    ) mine
    WHERE t."eventId" = ${input.eventId}::uuid AND t."rowName" = mine."rowName" AND t."seatNumber" = mine."seatNumber"`;
  return { released };
}
