import { voucherCodeSchema } from './vouchers.js';
import { z } from 'zod';
import { paymentMethodSchema } from './orders.js';
import { priceCentsSchema } from './pricing.js';
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
  /** One of the event's `paymentMethods`; `instant` (paid now) when left out. */
  paymentMethod: paymentMethodSchema.default('instant'),
  /** A voucher or promo code: its discount replaces the group discount, and the order counts as one use of it. */
  code: voucherCodeSchema.optional(),
});

/**
 * Best available: hold the best `quantity` adjacent seats of one row, optionally only in one tier
 * or price range. "Best" is nearest the centre of the stage (see docs/api.md).
 */
export const reserveBestInput = z
  .object({
    eventId: z.uuid(),
    quantity: z
      .number({ message: 'Expected a number of seats.' })
      .int('A number of seats is a whole number.')
      .min(1, 'Ask for at least one seat.')
      .max(MAX_SEATS_PER_ORDER, `Ask for at most ${MAX_SEATS_PER_ORDER} seats at a time.`),
    tierId: z.uuid().optional(),
    minPriceCents: priceCentsSchema.optional(),
    maxPriceCents: priceCentsSchema.optional(),
  })
  .refine((input) => input.minPriceCents === undefined || input.maxPriceCents === undefined || input.minPriceCents <= input.maxPriceCents, {
    message: 'The lowest price must not be above the highest.',
    path: ['maxPriceCents'],
  });
export type ReserveBestInput = z.infer<typeof reserveBestInput>;

export interface Hold {
  holdId: string;
  expiresAt: string;
  seats: Seat[];
}

/** PENDING: of an order waiting for its payment (pay later); not admitted at the door until paid. */
export type IssuedTicketStatus = 'VALID' | 'CHECKED_IN' | 'CANCELLED' | 'PENDING';

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
