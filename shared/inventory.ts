import { z } from 'zod';
import type { Tier } from './pricing.js';

/** Seat numbers run from 1 to this; one generate call creates at most MAX_SEATS_PER_GENERATE seats. */
export const MAX_SEAT_NUMBER = 100_000;
export const MAX_SEATS_PER_GENERATE = 100_000;
export const MAX_ROWS_PER_GENERATE = 2_000;

export const rowNameSchema = z.string().regex(/^[A-Z]{1,3}$/, 'A row name is 1 to 3 capital letters, such as A or AB.');

export const seatNumberSchema = z
  .number({ message: 'Expected a seat number.' })
  .int('A seat number is a whole number.')
  .min(1, 'Seat numbers start at 1.')
  .max(MAX_SEAT_NUMBER, `Seat numbers go up to ${MAX_SEAT_NUMBER}.`);

export const seatSchema = z.object({ row: rowNameSchema, number: seatNumberSchema });
export type Seat = z.infer<typeof seatSchema>;

export const seatLabel = (seat: Seat) => `${seat.row}${seat.number}`;

/** 1..max distinct seats. */
export function seatListSchema(max: number) {
  return z
    .array(seatSchema)
    .min(1, 'Choose at least one seat.')
    .max(max, `Choose at most ${max} seats at a time.`)
    .refine((seats) => new Set(seats.map((s) => `${s.row}-${s.number}`)).size === seats.length, {
      message: 'Each seat may appear only once.',
    });
}

export const generateSeatsInput = z
  .object({
    eventId: z.uuid(),
    rows: z
      .array(
        z.object({
          name: rowNameSchema,
          seats: z
            .number()
            .int('A number of seats is a whole number.')
            .min(1, 'A row has at least one seat.')
            .max(MAX_SEATS_PER_GENERATE, `At most ${MAX_SEATS_PER_GENERATE} seats per call.`),
          tierId: z.uuid(),
          firstNumber: seatNumberSchema.optional(),
        }),
      )
      .min(1, 'Give at least one row.')
      .max(MAX_ROWS_PER_GENERATE, `At most ${MAX_ROWS_PER_GENERATE} rows per call.`),
  })
  .superRefine((input, ctx) => {
    let total = 0;
    const ranges = new Map<string, Array<[number, number, number]>>();
    input.rows.forEach((row, i) => {
      const first = row.firstNumber ?? 1;
      const last = first + row.seats - 1;
      total += row.seats;
      if (last > MAX_SEAT_NUMBER) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'seats'], message: `Seat numbers go up to ${MAX_SEAT_NUMBER}.` });
      }
      const clash = (ranges.get(row.name) ?? []).find(([a, b]) => first <= b && a <= last);
      if (clash) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'name'], message: `Row ${row.name} is given twice with overlapping seat numbers.` });
      }
      ranges.set(row.name, [...(ranges.get(row.name) ?? []), [first, last, i]]);
    });
    if (total > MAX_SEATS_PER_GENERATE) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: `At most ${MAX_SEATS_PER_GENERATE} seats per call (asked for ${total}).` });
    }
  });
export type GenerateSeatsInput = z.infer<typeof generateSeatsInput>;

export const seatMapInput = z.object({ eventId: z.uuid() });
export const inventorySummaryInput = z.object({ eventId: z.uuid() });

export type SeatStatus = 'AVAILABLE' | 'RESERVED' | 'SOLD';

export interface SeatCounts {
  total: number;
  available: number;
  reserved: number;
  sold: number;
}

export interface SeatMap {
  eventId: string;
  holdMinutes: number;
  tiers: Tier[];
  rows: Array<{ name: string; seats: Array<{ number: number; status: SeatStatus; tierId: string; mine: boolean }> }>;
}

/** Natural seat order: rows A..Z, AA, AB.. (shorter names first), then seat numbers. */
export function compareSeats(a: Seat, b: Seat): number {
  return a.row.length - b.row.length || (a.row < b.row ? -1 : a.row > b.row ? 1 : 0) || a.number - b.number;
}
