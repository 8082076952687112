import { MAX_HELD_PER_EVENT, type Seat } from '../../../shared/seats.js';
import type { Hold, ReserveBestInput } from '../../../shared/tickets.js';
import type { AppDeps } from '../../deps.js';
import { retryTransient } from '../../db/transact.js';
import { AppError } from '../errors.js';
import { saleError, type SaleRefusal } from '../inventory/sale-errors.js';

type BestRefusal = SaleRefusal | { error: 'TIER_MISSING' } | { error: 'NO_ADJACENT_SEATS' };

/**
 * Holds the best `quantity` adjacent seats of one row for the caller, all or none, in one round
 * trip (the tessera_reserve_best() function, whose comment defines "best"). Two callers asking at
 * once get different seats; when no such block is free the answer is a CONFLICT naming the ask.
 */
export async function reserveBest(
  deps: Pick<AppDeps, 'database'>,
  input: ReserveBestInput & { userId: string; holdMinutes: number; staff: boolean },
): Promise<Hold> {
  const [row] = await retryTransient(() =>
    deps.database.query<{ result: { holdId: string; expiresAt: string; seats: Seat[] } | BestRefusal }>(
      'SELECT tessera_reserve_best($1::uuid, $2::uuid, $3::int, $4::uuid, $5::int, $6::int, $7::float8, $8, $9::int) AS result',
      [
        input.eventId,
        input.userId,
        input.quantity,
        input.tierId ?? null,
        input.minPriceCents ?? null,
        input.maxPriceCents ?? null,
        input.holdMinutes * 60,
        input.staff,
        MAX_HELD_PER_EVENT,
      ],
      'tessera_reserve_best',
    ),
  );
  const result = row!.result;
  if ('error' in result) {
    if (result.error === 'TIER_MISSING') throw new AppError('TIER_NOT_FOUND', 'No such price tier for this event.');
    if (result.error === 'NO_ADJACENT_SEATS') {
      const seats = input.quantity === 1 ? 'No seat is' : `No ${input.quantity} seats side by side are`;
      throw new AppError(
        'NO_ADJACENT_SEATS',
        `${seats} free${input.tierId || input.minPriceCents !== undefined || input.maxPriceCents !== undefined ? ' at this price' : ''} right now. Try fewer seats, another price or pick seats on the map.`,
        {
          quantity: input.quantity,
        },
      );
    }
    throw saleError(result);
  }
  return result;
}
