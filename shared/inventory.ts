import { z } from 'zod';
import { admissionPassSchema } from './queue.js';
import type { Tier } from './pricing.js';
import type { SeatFeature } from './layout.js';
import { MAX_SEAT_NUMBER, rowNameSchema, seatNumberSchema } from './seats.js';

/** One generate call creates at most MAX_SEATS_PER_GENERATE seats. */
export const MAX_SEATS_PER_GENERATE = 100_000;
export const MAX_ROWS_PER_GENERATE = 2_000;

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

export const seatMapInput = z.object({
  eventId: z.uuid(),
  /** The caller's admission pass, when the event sells through a waiting room (shared/queue.ts). */
  pass: admissionPassSchema.optional(),
});
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
  rows: Array<{
    name: string;
    /** The row's section, when the venue has sections. */
    section?: string;
    seats: Array<{
      number: number;
      status: SeatStatus;
      tierId: string;
      mine: boolean;
      /** Place in the row from the left, when the venue has a layout (aisles and missing seats leave gaps). */
      position?: number;
      /** Accessible or restricted-view places; absent when none. */
      features?: SeatFeature[];
    }>;
  }>;
}
