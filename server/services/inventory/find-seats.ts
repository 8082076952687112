import { compareSeats, type Seat, type SeatStatus } from '../../../shared/inventory.js';
import type { Db } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import { AppError } from '../errors.js';
import type { PricedSeat } from '../pricing/build-quote.js';
import { NOW, type Tx } from './transact.js';

export interface FoundSeat extends PricedSeat {
  status: SeatStatus;
  tierId: string;
  heldById: string | null;
  /** RESERVED with an unexpired hold; an expired hold is as good as AVAILABLE. */
  holdLive: boolean;
}

/**
 * The named seats of one event that exist, with their tier. With `lock`, the rows are locked FOR
 * UPDATE in (rowName, seatNumber) order: every transaction that locks seats locks them in that one
 * order, so two of them can wait for each other but never deadlock.
 */
export async function findSeats(db: Db | Tx, eventId: string, seats: Seat[], options: { lock: boolean }): Promise<FoundSeat[]> {
  return db.$queryRaw<FoundSeat[]>`
    SELECT t."rowName" AS row, t."seatNumber" AS number, t.status::text AS status, t."tierId"::text AS "tierId",
           t."heldById"::text AS "heldById", coalesce(t."holdExpiresAt" > ${NOW}, false) AS "holdLive",
           p.name AS "tierName", p."priceCents" AS "priceCents", p.currency::text AS currency
    FROM ${seatPairs(seats)}
    JOIN "Ticket" t ON t."eventId" = ${eventId}::uuid AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    JOIN "PriceTier" p ON p.id = t."tierId"
    ORDER BY t."rowName", t."seatNumber"
    ${options.lock ? Prisma.sql`FOR UPDATE OF t` : Prisma.empty}`;
}

/** The requested seats that are not among `got`, in seat order. */
export function notIn(requested: Seat[], got: Seat[]): Seat[] {
  const have = new Set(got.map((s) => `${s.row}-${s.number}`));
  return requested
    .filter((s) => !have.has(`${s.row}-${s.number}`))
    .map((s) => ({ row: s.row, number: s.number }))
    .sort(compareSeats);
}

/** NOT_FOUND naming the requested seats that do not exist (data.missing), if any. */
export function missingSeats(requested: Seat[], found: Seat[]): void {
  const missing = notIn(requested, found);
  if (missing.length > 0) {
    throw new AppError('NOT_FOUND', `No such seat: ${missing.map((s) => `${s.row}${s.number}`).join(', ')}.`, { missing });
  }
}

/** The seats the caller cannot take: sold, or held by someone else with an unexpired hold. */
export function unavailableSeats(found: FoundSeat[], userId: string): Seat[] {
  return found
    .filter((s) => s.status === 'SOLD' || (s.status === 'RESERVED' && s.holdLive && s.heldById !== userId))
    .map((s) => ({ row: s.row, number: s.number }))
    .sort(compareSeats);
}

export function conflictUnavailable(unavailable: Seat[]): AppError {
  const names = unavailable.map((s) => `${s.row}${s.number}`).join(', ');
  return new AppError('CONFLICT', `Sorry, ${unavailable.length === 1 ? 'this seat is' : 'these seats are'} no longer available: ${names}.`, {
    unavailable,
  });
}

/** SQL for "the seat is one of these": a join target of (row_name, seat_number) pairs. */
export function seatPairs(seats: Seat[]) {
  return Prisma.sql`unnest(${seats.map((s) => s.row)}::text[], ${seats.map((s) => s.number)}::int[]) AS r(row_name, seat_number)`;
}
