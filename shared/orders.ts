import { z } from 'zod';
import type { IssuedTicket } from './tickets.js';

/**
 * How an order is paid. `instant`: paid when it is made (the default, and what every order was
 * before pay later). `box_office` and `bank_transfer`: the order waits as PENDING until staff record
 * the payment, by its deadline; the order number is the payment reference.
 */
export const PAYMENT_METHODS = ['instant', 'box_office', 'bank_transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const paymentMethodSchema = z.enum(PAYMENT_METHODS, { message: 'Expected instant, box_office or bank_transfer.' });

export const orderByIdInput = z.object({ id: z.uuid() });
export const cancelOrderInput = z.object({ id: z.uuid() });

/**
 * Staff refund some tickets of a paid order (a partial refund), named by their barcodes. Refunding
 * every ticket still valid is cancelling the order.
 */
export const refundTicketsInput = z
  .object({
    id: z.uuid(),
    barcodes: z
      .array(z.string().trim().min(1).max(64), { message: 'Expected the barcodes of the tickets to refund.' })
      .min(1, 'Name at least one ticket to refund.')
      .max(100, 'At most 100 tickets at once.')
      .refine((b) => new Set(b).size === b.length, 'Name each ticket once.'),
  })
  .strict();
export type RefundTicketsInput = z.infer<typeof refundTicketsInput>;

/**
 * What refunding tickets listed at `refundedPriceCents` pays back: their share of what the order
 * cost, a ticket's share being its list price's share of the subtotal (so the group discount or
 * code the order got is kept in proportion, as the sales report's byTier splits it), rounded to the
 * cent. The server charges it; the staff page shows it before the refund.
 */
export function refundShare(order: { subtotalCents: number; totalCents: number }, refundedPriceCents: number): number {
  if (order.subtotalCents === 0) return 0;
  return Math.round((refundedPriceCents * order.totalCents) / order.subtotalCents);
}

/**
 * The payment reference people type or scan: the order number, such as TSR-7KQ4-2M. Banks often
 * drop the dashes or change the case, so "tsr 7kq42m" and "7KQ4-2M" are read as TSR-7KQ4-2M.
 */
export const orderReferenceSchema = z
  .string()
  .trim()
  .max(40, 'Expected an order number such as TSR-7KQ4-2M.')
  .transform((s) =>
    s
      .toUpperCase()
      .replace(/[\s-]+/g, '')
      .replace(/^TSR/, ''),
  )
  .pipe(z.string().regex(/^[0-9A-Z]{6}$/, 'Expected an order number such as TSR-7KQ4-2M.'))
  .transform((s) => `TSR-${s.slice(0, 4)}-${s.slice(4)}`);

/** Staff record that a pay-later order was paid in full: by its id, or by the reference on the transfer. */
export const markPaidInput = z.union([z.object({ id: z.uuid() }).strict(), z.object({ reference: orderReferenceSchema }).strict()], {
  message: 'Give the order’s id or its reference (the order number).',
});
export type MarkPaidInput = z.infer<typeof markPaidInput>;

export const listOrdersInput = z
  .object({
    eventId: z.uuid().optional(),
    userId: z.uuid().optional(),
    /** One order by its number, typed or scanned loosely as markPaid reads it ("tsr 7kq42m"). */
    number: orderReferenceSchema.optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .prefault({});
export type ListOrdersInput = z.infer<typeof listOrdersInput>;

export type OrderStatus = 'PAID' | 'CANCELLED' | 'PENDING' | 'EXPIRED';

export interface Order {
  id: string;
  /** What people read out and search for: TSR-7KQ4-2M. */
  number: string;
  eventId: string;
  /** Added for lists: which event, without a second call. */
  eventName: string;
  status: OrderStatus;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
  createdAt: string;
  cancelledAt: string | null;
  /** How it is paid; `instant` for every order made without choosing. */
  paymentMethod: PaymentMethod;
  /** Pay later: pay by then, or the order expires; null for instant orders. */
  paymentDueAt: string | null;
  /** When the payment was recorded; null while PENDING and for orders never paid. */
  paidAt: string | null;
  /** Paid back so far: the refunded tickets' share of the total, or all of it once a paid order is cancelled. */
  refundedCents: number;
  /** The voucher or promo code the order used (its discount is `discountCents`); null without one. */
  voucherCode: string | null;
  tickets: IssuedTicket[];
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}
