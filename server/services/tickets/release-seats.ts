import type { AppDeps } from '../../deps.js';
import type { Seat } from '../../../shared/seats.js';

/**
 * Releases the caller's own unexpired holds on these seats; anything else named is left alone.
 * One statement: it locks the named seats by their key, in seat order as reserve and purchase do,
 * and frees those the caller holds. The lock reads each seat's current state, so the holder is
 * checked on the row as it is now. Only the key picks the rows: a condition on the status or the
 * holder would let the planner walk an index of every seat held on the event, or every version
 * of the caller's holds, instead of looking up the named seats (see inventory/held-by.ts).
 */
export async function releaseSeats(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { userId: string; eventId: string; seats: Seat[] },
): Promise<{ released: number }> {
  const rows = await deps.database.query<{ released: number }>(
    `WITH named AS (
       SELECT s."rowName", s."seatNumber", s.status, s."heldById", s."holdExpiresAt" FROM "Ticket" s
       JOIN unnest($3::text[], $4::int[]) AS r(row_name, seat_number) ON s."rowName" = r.row_name AND s."seatNumber" = r.seat_number
       WHERE s."eventId" = $1::uuid
       ORDER BY s."rowName", s."seatNumber"
       FOR UPDATE OF s
     ), released AS (
       UPDATE "Ticket" t SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
       FROM named n
       WHERE t."eventId" = $1::uuid AND t."rowName" = n."rowName" AND t."seatNumber" = n."seatNumber"
         AND n.status = 'RESERVED' AND n."heldById" = $2::uuid AND n."holdExpiresAt" > (now() AT TIME ZONE 'UTC')
       RETURNING 1
     )
     SELECT count(*)::int AS released FROM released`,
    [input.eventId, input.userId, input.seats.map((s) => s.row), input.seats.map((s) => s.number)],
    'tessera_release',
  );
  return { released: rows[0]!.released };
}
