import type { AppDeps } from '../../deps.js';
import type { Seat } from '../../../shared/seats.js';

/**
 * Releases the caller's own unexpired holds on these seats; anything else named is left alone.
 * One statement; its subquery locks the rows in seat order, as reserve and purchase do.
 */
export async function releaseSeats(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { userId: string; eventId: string; seats: Seat[] },
): Promise<{ released: number }> {
  const rows = await deps.database.query<{ released: number }>(
    `WITH mine AS (
       SELECT s."rowName", s."seatNumber" FROM "Ticket" s
       JOIN unnest($3::text[], $4::int[]) AS r(row_name, seat_number) ON s."rowName" = r.row_name AND s."seatNumber" = r.seat_number
       WHERE s."eventId" = $1::uuid AND s.status = 'RESERVED' AND s."heldById" = $2::uuid AND s."holdExpiresAt" > (now() AT TIME ZONE 'UTC')
       ORDER BY s."rowName", s."seatNumber"
       FOR UPDATE OF s
     ), released AS (
       UPDATE "Ticket" t SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
       FROM mine WHERE t."eventId" = $1::uuid AND t."rowName" = mine."rowName" AND t."seatNumber" = mine."seatNumber"
       RETURNING 1
     )
     SELECT count(*)::int AS released FROM released`,
    [input.eventId, input.userId, input.seats.map((s) => s.row), input.seats.map((s) => s.number)],
    'tessera_release',
  );
  return { released: rows[0]!.released };
}
