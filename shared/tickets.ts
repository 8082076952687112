import { admissionPassSchema } from './queue.js';
import { voucherCodeSchema } from './vouchers.js';
import { z } from 'zod';
import { emailSchema } from './auth.js';
import { paymentMethodSchema } from './orders.js';
import { priceCentsSchema } from './pricing.js';
import { MAX_SEATS_PER_ORDER, seatListSchema, type Seat } from './seats.js';

export const reserveSeatsInput = z.object({
  eventId: z.uuid(),
  seats: seatListSchema(MAX_SEATS_PER_ORDER),
  /** A code that unlocks hidden (presale) seats; needed only for those. */
  code: voucherCodeSchema.optional(),
  /** The caller's admission pass, when the event sells through a waiting room (shared/queue.ts). */
  pass: admissionPassSchema.optional(),
});
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
  /** The caller's admission pass, when the event sells through a waiting room (shared/queue.ts). */
  pass: admissionPassSchema.optional(),
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
    /** The caller's admission pass, when the event sells through a waiting room (shared/queue.ts). */
    pass: admissionPassSchema.optional(),
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
/** TRANSFERRED: sent to someone who claimed it; what the sender sees (its old barcode no longer opens the door). */
export type IssuedTicketStatus = 'VALID' | 'CHECKED_IN' | 'CANCELLED' | 'PENDING' | 'TRANSFERRED';

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
  /** The caller's latest transfer of this ticket: sent and waiting to be claimed, or claimed (status TRANSFERRED). */
  transfer: TicketTransferState | null;
  /** Who sent it, when the caller holds it by a transfer (not by their own order). */
  receivedFrom: string | null;
  /** Whether it may change hands now (paid, not used, before the event, the event allows it); only its holder can send it. */
  transferable: boolean;
}

export interface TicketTransferState {
  id: string;
  /** Where it was sent. */
  email: string;
  state: 'PENDING' | 'CLAIMED';
  sentAt: string;
  /** PENDING: the claim link works until then (the event's start). CLAIMED: when it was claimed. */
  until: string;
}

/** Send a ticket (named by its barcode) to someone by email; they claim it with the mailed link. */
export const transferTicketInput = z.object({
  barcode: z.string().trim().min(1, 'Name the ticket.').max(64, 'Not a barcode.'),
  email: emailSchema,
});
export const cancelTransferInput = z.object({ id: z.uuid('Not a transfer id.') });
/** The token from the claim link. */
export const transferTokenInput = z.object({ token: z.string().min(20, 'This link is incomplete.').max(200, 'This link is not valid.') });

/** What a claim link shows before it is claimed (tickets.transferPreview). */
export interface TransferPreview {
  eventId: string;
  eventName: string;
  startsAt: string;
  venue: string;
  row: string;
  number: number;
  tierName: string;
  fromName: string;
  /** The address it was sent to: the account that claims it must have it. */
  email: string;
  state: 'PENDING' | 'CLAIMED' | 'CANCELLED' | 'EXPIRED';
}
