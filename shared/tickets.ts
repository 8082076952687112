import { z } from 'zod';
import { MAX_SEATS_PER_ORDER, seatListSchema, type Seat } from './seats.js';

export const reserveSeatsInput = z.object({ eventId: z.uuid(), seats: seatListSchema(MAX_SEATS_PER_ORDER) });
export const releaseSeatsInput = z.object({ eventId: z.uuid(), seats: seatListSchema(MAX_SEATS_PER_ORDER) });

export const idempotencyKeySchema = z
  .string()
  .min(1, 'An idempotency key is required.')
  .max(100, 'At most 100 characters.')
  .regex(/^[\x21-\x7e]+$/, 'Use printable ASCII characters without spaces (a UUID is a good key).');

export const purchaseSeatsInput = z.object({
  eventId: z.uuid(),
  seats: seatListSchema(MAX_SEATS_PER_ORDER),
  /** The same key returns the same order: retry a purchase with the key of the first attempt. */
  idempotencyKey: idempotencyKeySchema,
});

export interface Hold {
  holdId: string;
  expiresAt: string;
  seats: Seat[];
}

export type IssuedTicketStatus = 'VALID' | 'CHECKED_IN' | 'CANCELLED';

export interface IssuedTicket {
  barcode: string;
  eventId: string;
  eventName: string;
  startsAt: string;
  row: string;
  number: number;
  tierName: string;
  priceCents: number;
  currency: string;
  orderId: string;
  status: IssuedTicketStatus;
  /** When it was scanned at the door; null until then. */
  checkedInAt: string | null;
}
