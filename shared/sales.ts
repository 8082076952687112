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

/**
 * Of the orders placed in a period: `grossCents` is their seats at list price (paid and since
 * cancelled), `discountCents` the group discounts they got, `refundedCents` what was
 * paid back (cancelled orders, and tickets refunded on their own), and `netCents` = gross - discounts - refunds: what was kept. `revenueCents` is the
 * same figure as `netCents` (the paid orders' totals), kept under the contract's name.
 */
export interface SalesFigures {
  orders: number;
  cancelledOrders: number;
  ticketsSold: number;
  revenueCents: number;
  refundedCents: number;
  grossCents: number;
  discountCents: number;
  netCents: number;
}

export interface SalesReport {
  /** Sums over every currency; `currency` is null when the orders used more than one (see byEvent). */
  totals: SalesFigures & { currency: string | null };
  /** Days are UTC dates (YYYY-MM-DD) of the order. */
  byDay: Array<SalesFigures & { day: string; currency: string }>;
  /**
   * Of paid orders: `grossCents` their tickets at list price, `discountCents` their share of the
   * order's group discount, `netCents` = gross - discount. `refundedCents`: what cancelled orders'
   * tickets of the tier paid back (their share of the order's total).
   */
  byTier: Array<{
    eventId: string;
    eventName: string;
    tierName: string;
    currency: string;
    ticketsSold: number;
    grossCents: number;
    discountCents: number;
    netCents: number;
    refundedCents: number;
  }>;
  /** Every event but drafts (with no sales: zeros), and any event with orders in the period. */
  byEvent: Array<SalesFigures & { eventId: string; eventName: string; currency: string }>;
}
