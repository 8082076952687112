import { compareSeats, seatKey, seatLabel, type Seat } from '../../../shared/seats.js';
import type { Db } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import { AppError } from '../errors.js';
import type { PricedSeat } from '../pricing/build-quote.js';

/** The named seats of one event that exist, with their tier's name and price (for quotes; nothing is locked). */
export async function findPricedSeats(db: Db, eventId: string, seats: Seat[]): Promise<PricedSeat[]> {
  return db.$queryRaw<PricedSeat[]>`
    SELECT t."rowName" AS row, t."seatNumber" AS number, p.id::text AS "tierId", p.name AS "tierName", p."priceCents" AS "priceCents", p.currency::text AS currency
    FROM ${seatPairs(seats)}
    JOIN "Ticket" t ON t."eventId" = ${eventId}::uuid AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
    JOIN "PriceTier" p ON p.id = t."tierId"`;
}

/** NOT_FOUND naming the requested seats that do not exist (data.missing), if any. */
export function requireAllFound(requested: Seat[], found: Seat[]): void {
  const have = new Set(found.map(seatKey));
  const missing = requested
    .filter((s) => !have.has(seatKey(s)))
    .map((s) => ({ row: s.row, number: s.number }))
    .sort(compareSeats);
  if (missing.length > 0) {
    throw new AppError('SEATS_MISSING', `No such seat: ${missing.map(seatLabel).join(', ')}.`, { missing });
  }
}

/** SQL for "the seat is one of these": a join target of (row_name, seat_number) pairs. */
export function seatPairs(seats: Seat[]) {
  return Prisma.sql`unnest(${seats.map((s) => s.row)}::text[], ${seats.map((s) => s.number)}::int[]) AS r(row_name, seat_number)`;
}
