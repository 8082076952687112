import { z } from 'zod';

/**
 * Seats: names, numbers, keys and order. A leaf module (it imports nothing of Tessera's), so every
 * other shared module can use it without import cycles.
 */

/** Seat numbers run from 1 to this. */
export const MAX_SEAT_NUMBER = 100_000;
/** Seats per reserve, release, purchase or quote call; also the most one user may hold for one event. */
export const MAX_SEATS_PER_ORDER = 10;
export const MAX_HELD_PER_EVENT = MAX_SEATS_PER_ORDER;

/**
 * A row's key within its event: 1 to 3 capital letters (A, AB), optionally after a section's prefix
 * and a dash (C-A is row A of the section with prefix C), so sections may reuse row letters.
 */
export const rowNameSchema = z
  .string()
  .regex(/^(?:[A-Z0-9]{1,3}-)?[A-Z]{1,3}$/, 'A row name is 1 to 3 capital letters, such as A or AB, optionally after a section prefix such as C-A.');

export const seatNumberSchema = z
  .number({ message: 'Expected a seat number.' })
  .int('A seat number is a whole number.')
  .min(1, 'Seat numbers start at 1.')
  .max(MAX_SEAT_NUMBER, `Seat numbers go up to ${MAX_SEAT_NUMBER}.`);

export const seatSchema = z.object({ row: rowNameSchema, number: seatNumberSchema });
export type Seat = z.infer<typeof seatSchema>;

/** The one identity key of a seat within an event, for sets and maps: "A:5". */
export const seatKey = (seat: Seat): string => `${seat.row}:${seat.number}`;

/** A seat as people read it: "A5". */
export const seatLabel = (seat: Seat): string => `${seat.row}${seat.number}`;

/** 1..max distinct seats. */
export function seatListSchema(max: number) {
  return z
    .array(seatSchema)
    .min(1, 'Choose at least one seat.')
    .max(max, `Choose at most ${max} seats at a time.`)
    .refine((seats) => new Set(seats.map(seatKey)).size === seats.length, {
      message: 'Each seat may appear only once.',
    });
}

/** Natural seat order: rows A..Z, AA, AB.. (shorter names first), then seat numbers. */
export function compareSeats(a: Seat, b: Seat): number {
  return a.row.length - b.row.length || (a.row < b.row ? -1 : a.row > b.row ? 1 : 0) || a.number - b.number;
}

/** A, B, .. Z, AA, AB, .. : the n-th row name (0-based). */
export function rowName(n: number): string {
  let name = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) name = String.fromCharCode(65 + ((i - 1) % 26)) + name;
  return name;
}

/** The 0-based position of a row name (A = 0, Z = 25, AA = 26; any case): the inverse of rowName. */
export function rowIndex(name: string): number {
  let n = 0;
  for (const ch of name.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
