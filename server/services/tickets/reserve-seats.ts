import crypto from 'node:crypto';
import { compareSeats, type Seat } from '../../../shared/inventory.js';
import { MAX_HELD_PER_EVENT, type Hold } from '../../../shared/tickets.js';
import { AppError } from '../errors.js';
import { requireOnSale } from '../events/require-on-sale.js';
import { conflictUnavailable, findSeats, missingSeats, notIn, seatPairs, unavailableSeats } from '../inventory/find-seats.js';
import { LOCK } from '../inventory/locks.js';
import { NOW, transact, type Store } from '../inventory/transact.js';

/**
 * Holds the seats for the caller for `holdMinutes`, all or none. A seat is free when it is
 * AVAILABLE or its hold expired. Seats the caller already holds stay theirs and move into the new
 * hold with a fresh expiry, so the answer has one holdId and one expiresAt for every seat in it.
 */
export async function reserveSeats(
  store: Store,
  input: { userId: string; eventId: string; seats: Seat[]; holdMinutes: number; staff: boolean },
): Promise<Hold> {
  const { userId, eventId, seats } = input;
  return transact(store, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK.userHolds}::int, hashtext(${`${userId}:${eventId}`}))`;
    await requireOnSale(tx, eventId, input.staff);
    const found = await findSeats(tx, eventId, seats, { lock: true });
    missingSeats(seats, found);
    const unavailable = unavailableSeats(found, userId);
    if (unavailable.length > 0) throw conflictUnavailable(unavailable);

    const [other] = await tx.$queryRaw<Array<{ held: number }>>`
      SELECT count(*)::int AS held FROM "Ticket" t
      WHERE t."eventId" = ${eventId}::uuid AND t.status = 'RESERVED' AND t."heldById" = ${userId}::uuid AND t."holdExpiresAt" > ${NOW}
        AND NOT EXISTS (SELECT 1 FROM ${seatPairs(seats)} WHERE r.row_name = t."rowName" AND r.seat_number = t."seatNumber")`;
    const held = other?.held ?? 0;
    if (held + seats.length > MAX_HELD_PER_EVENT) {
      throw new AppError(
        'CONFLICT',
        `You can hold at most ${MAX_HELD_PER_EVENT} seats for one event; you already hold ${held}. Buy or release some first.`,
        { limit: MAX_HELD_PER_EVENT, held },
      );
    }

    const holdId = crypto.randomUUID();
    // The locks already decided; the condition repeats the rule so the UPDATE alone could never take a seat.
    const updated = await tx.$queryRaw<Array<{ row: string; number: number; expiresAt: Date }>>`
      UPDATE "Ticket" t
      SET status = 'RESERVED', "holdId" = ${holdId}::uuid, "heldById" = ${userId}::uuid,
          "holdExpiresAt" = ${NOW} + ${input.holdMinutes * 60}::float8 * interval '1 second'
      FROM ${seatPairs(seats)}
      WHERE t."eventId" = ${eventId}::uuid AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
        AND (t.status = 'AVAILABLE' OR (t.status = 'RESERVED' AND (t."holdExpiresAt" <= ${NOW} OR t."heldById" = ${userId}::uuid)))
      RETURNING t."rowName" AS row, t."seatNumber" AS number, t."holdExpiresAt" AS "expiresAt"`;
    if (updated.length !== seats.length) throw conflictUnavailable(notIn(seats, updated));
    return {
      holdId,
      expiresAt: updated[0]!.expiresAt.toISOString(),
      seats: seats.map((s) => ({ row: s.row, number: s.number })).sort(compareSeats),
    };
  });
}
