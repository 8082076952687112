import { z } from 'zod';

const isoDateTime = z.iso.datetime({ offset: true, message: 'Expected an ISO-8601 date and time, such as 2027-05-01T00:00:00Z.' });

/** Orders placed from `from` (inclusive) to `to` (exclusive). */
export const salesReportInput = z
  .object({
    eventId: z.uuid().optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .refine((r) => !r.from || !r.to || Date.parse(r.from) < Date.parse(r.to), { message: '`from` must be before `to`.', path: ['to'] })
  .prefault({});
export type SalesReportInput = z.infer<typeof salesReportInput>;

/** Paid orders are revenue; cancelled orders are refunds, never revenue. */
export interface SalesFigures {
  orders: number;
  cancelledOrders: number;
  ticketsSold: number;
  revenueCents: number;
  refundedCents: number;
}

export interface SalesReport {
  /** Sums over every currency; `currency` is null when the orders used more than one (see byEvent). */
  totals: SalesFigures & { currency: string | null };
  /** Days are UTC dates (YYYY-MM-DD) of the order. */
  byDay: Array<SalesFigures & { day: string; currency: string }>;
  /** Ticket prices before group discounts, of paid orders. */
  byTier: Array<{ eventId: string; eventName: string; tierName: string; currency: string; ticketsSold: number; grossCents: number }>;
  byEvent: Array<SalesFigures & { eventId: string; eventName: string; currency: string }>;
}
