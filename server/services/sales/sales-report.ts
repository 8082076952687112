import type { AppDeps } from '../../deps.js';
import type { SalesFigures, SalesReport, SalesReportInput } from '../../../shared/sales.js';
import { Prisma } from '../../generated/prisma/client.js';

interface FigureRow {
  orders: number;
  cancelledOrders: number;
  ticketsSold: bigint;
  revenueCents: bigint;
  refundedCents: bigint;
  grossCents: bigint;
  discountCents: bigint;
}

const figures = (r: FigureRow): SalesFigures => ({
  orders: r.orders,
  cancelledOrders: r.cancelledOrders,
  ticketsSold: Number(r.ticketsSold),
  revenueCents: Number(r.revenueCents),
  refundedCents: Number(r.refundedCents),
  grossCents: Number(r.grossCents),
  discountCents: Number(r.discountCents),
  netCents: Number(r.grossCents) - Number(r.discountCents) - Number(r.refundedCents),
});
const NONE: SalesFigures = {
  orders: 0,
  cancelledOrders: 0,
  ticketsSold: 0,
  revenueCents: 0,
  refundedCents: 0,
  grossCents: 0,
  discountCents: 0,
  netCents: 0,
};

/**
 * Sales of the orders placed in [from, to) (optionally of one event): paid orders are revenue,
 * cancelled ones are refunds and never revenue. The report counts money: an order never paid (a
 * pay-later order still awaiting payment, one that lapsed unpaid, or one cancelled before it was
 * paid) is not in it; a pay-later order counts on the day it was placed once it is paid. Rows are
 * per currency; days are UTC dates. Refunds are what was paid back: whole cancelled orders and
 * tickets refunded on their own (partial refunds), so revenue is what the orders kept.
 */
export async function salesReport(deps: Pick<AppDeps, 'db'>, input: SalesReportInput): Promise<SalesReport> {
  const where = [Prisma.sql`(o.status = 'PAID' OR o."paidAt" IS NOT NULL)`];
  if (input.eventId) where.push(Prisma.sql`o."eventId" = ${input.eventId}::uuid`);
  if (input.from) where.push(Prisma.sql`o."createdAt" >= (${input.from}::timestamptz AT TIME ZONE 'UTC')`);
  if (input.to) where.push(Prisma.sql`o."createdAt" < (${input.to}::timestamptz AT TIME ZONE 'UTC')`);
  const filter = Prisma.join(where, ' AND ');
  const sums = Prisma.sql`
    (count(*) FILTER (WHERE f.status = 'PAID'))::int AS orders,
    (count(*) FILTER (WHERE f.status = 'CANCELLED'))::int AS "cancelledOrders",
    coalesce(sum(f.tickets) FILTER (WHERE f.status = 'PAID'), 0)::bigint AS "ticketsSold",
    coalesce(sum(f."totalCents" - f."refundedCents"), 0)::bigint AS "revenueCents",
    coalesce(sum(f."refundedCents"), 0)::bigint AS "refundedCents",
    coalesce(sum(f."subtotalCents"), 0)::bigint AS "grossCents",
    coalesce(sum(f."discountCents"), 0)::bigint AS "discountCents"`;
  const filtered = Prisma.sql`
    SELECT o.id, o."eventId", o.status::text AS status, o."totalCents", o."subtotalCents", o."discountCents", o."refundedCents",
           o.currency::text AS currency, o."createdAt",
           (SELECT count(*) FROM "IssuedTicket" it WHERE it."orderId" = o.id AND it.status <> 'CANCELLED') AS tickets
    FROM "Order" o WHERE ${filter}`;

  const [byDay, byEvent, byTier] = await Promise.all([
    deps.db.$queryRaw<Array<FigureRow & { day: string; currency: string }>>`
      WITH f AS (${filtered})
      SELECT to_char(f."createdAt", 'YYYY-MM-DD') AS day, f.currency, ${sums}
      FROM f GROUP BY 1, 2 ORDER BY 1, 2`,
    // Every event but drafts, so one with no sales shows as such (its currency: its tiers').
    deps.db.$queryRaw<Array<FigureRow & { eventId: string; eventName: string; currency: string }>>`
      WITH f AS (${filtered})
      SELECT e.id::text AS "eventId", e.name AS "eventName",
             coalesce(f.currency, (SELECT min(pt.currency) FROM "PriceTier" pt WHERE pt."eventId" = e.id), 'USD') AS currency, ${sums}
      FROM "Event" e LEFT JOIN f ON f."eventId" = e.id
      WHERE (f.id IS NOT NULL OR e.status <> 'DRAFT') AND (${input.eventId ?? null}::uuid IS NULL OR e.id = ${input.eventId ?? null}::uuid)
      GROUP BY e.id, e.name, e."startsAt", f.currency ORDER BY e."startsAt", e.name, 3`,
    // A ticket's share of its order's discount and total is its list price's share of the subtotal.
    deps.db.$queryRaw<
      Array<{
        eventId: string;
        eventName: string;
        tierName: string;
        currency: string;
        ticketsSold: number;
        grossCents: bigint;
        netCents: bigint;
        refundedCents: bigint;
      }>
    >`
      SELECT it."eventId"::text AS "eventId", e.name AS "eventName", it."tierName", it.currency::text AS currency,
             (count(*) FILTER (WHERE o.status = 'PAID' AND it.status <> 'CANCELLED'))::int AS "ticketsSold",
             coalesce(sum(it."priceCents") FILTER (WHERE o.status = 'PAID' AND it.status <> 'CANCELLED'), 0)::bigint AS "grossCents",
             coalesce(round(sum(it."priceCents"::numeric * o."totalCents" / nullif(o."subtotalCents", 0)) FILTER (WHERE o.status = 'PAID' AND it.status <> 'CANCELLED')), 0)::bigint AS "netCents",
             coalesce(round(sum(it."priceCents"::numeric * o."totalCents" / nullif(o."subtotalCents", 0)) FILTER (WHERE o.status = 'CANCELLED' OR it.status = 'CANCELLED')), 0)::bigint AS "refundedCents"
      FROM "IssuedTicket" it JOIN "Order" o ON o.id = it."orderId" JOIN "Event" e ON e.id = it."eventId"
      WHERE ${filter}
      GROUP BY it."eventId", e.name, e."startsAt", it."tierName", it.currency
      ORDER BY e."startsAt", e.name, it."tierName", it.currency`,
  ]);

  const totals = byEvent
    .map(figures)
    .reduce<SalesFigures>(
      (sum, r) => Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v + r[k as keyof SalesFigures]])) as unknown as SalesFigures,
      NONE,
    );
  // The currency of the totals: that of the events that sold (or of all, when none did).
  const selling = byEvent.filter((r) => r.orders > 0 || r.cancelledOrders > 0);
  const currencies = new Set((selling.length > 0 ? selling : byEvent).map((r) => r.currency));
  return {
    totals: { ...totals, currency: currencies.size === 1 ? [...currencies][0]! : null },
    byDay: byDay.map((r) => ({ day: r.day, currency: r.currency, ...figures(r) })),
    byTier: byTier
      .filter((r) => r.ticketsSold > 0 || Number(r.refundedCents) > 0)
      .map((r) => ({
        ...r,
        grossCents: Number(r.grossCents),
        discountCents: Number(r.grossCents) - Number(r.netCents),
        netCents: Number(r.netCents),
        refundedCents: Number(r.refundedCents),
      })),
    byEvent: byEvent.map((r) => ({ eventId: r.eventId, eventName: r.eventName, currency: r.currency, ...figures(r) })),
  };
}
