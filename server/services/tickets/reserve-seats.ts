import { compareSeats, type Seat } from '../../../shared/seats.js';
import { type Hold } from '../../../shared/tickets.js';
import { MAX_HELD_PER_EVENT } from '../../../shared/seats.js';
import { saleError, type SaleRefusal } from '../inventory/sale-errors.js';
import type { AppDeps } from '../../deps.js';
import { retryTransient } from '../../db/transact.js';

/**
 * Holds the seats for the caller for `holdMinutes`, all or none, in one round trip (the
 * tessera_reserve() function). A seat is free when it is AVAILABLE or its hold expired. Seats the
 * caller already holds stay theirs and move into the new hold with a fresh expiry, so the answer
 * has one holdId and one expiresAt for every seat in it. Seats of hidden (presale) tiers need a
 * code that unlocks them (SEATS_LOCKED otherwise).
 */
export async function reserveSeats(
  deps: Pick<AppDeps, 'database'>,
  input: { userId: string; eventId: string; seats: Seat[]; holdMinutes: number; staff: boolean; code?: string | undefined },
): Promise<Hold> {
  const seats = [...input.seats].sort(compareSeats);
  const [row] = await retryTransient(() =>
    deps.database.query<{ result: { holdId: string; expiresAt: string } | SaleRefusal }>(
      'SELECT tessera_reserve($1::uuid, $2::uuid, $3::text[], $4::int[], $5::float8, $6, $7::int, $8::text) AS result',
      [
        input.eventId,
        input.userId,
        seats.map((s) => s.row),
        seats.map((s) => s.number),
        input.holdMinutes * 60,
        input.staff,
        MAX_HELD_PER_EVENT,
        input.code ?? null,
      ],
      'tessera_reserve',
    ),
  );
  const result = row!.result;
  if ('error' in result) throw saleError(result);
  return { holdId: result.holdId, expiresAt: result.expiresAt, seats: seats.map((s) => ({ row: s.row, number: s.number })) };
}
