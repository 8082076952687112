import type { AppDeps } from '../../deps.js';
import type { SalesFigures, SalesReport, SalesReportInput } from '../../../shared/sales.js';
import { Prisma } from '../../generated/prisma/client.js';

interface FigureRow {
  orders: number;
  cancelledOrders: number;
  ticketsSold: bigint;
  revenueCents: bigint;
  refundedCents: bigint;
}

const figures = (r: FigureRow): SalesFigures => ({
  orders: r.orders,
  cancelledOrders: r.cancelledOrders,
  ticketsSold: Number(r.ticketsSold),
  revenueCents: Number(r.revenueCents),
  refundedCents: Number(r.refundedCents),
});

/**
 * Sales of the orders placed in [from, to) (optionally of one event): paid orders are revenue,
 * cancelled ones are refunds and never revenue. Rows are per currency; days are UTC dates.
 */
export async function salesReport(deps: Pick<AppDeps, 'db'>, input: SalesReportInput): Promise<SalesReport> {
  const where = [Prisma.sql`TRUE`];
  if (input.eventId) where.push(Prisma.sql`o."eventId" = ${input.eventId}::uuid`);
  if (input.from) where.push(Prisma.sql`o."createdAt" >= (${input.from}::timestamptz AT TIME ZONE 'UTC')`);
  if (input.to) where.push(Prisma.sql`o."createdAt" < (${input.to}::timestamptz AT TIME ZONE 'UTC')`);
  const filter = Prisma.join(where, ' AND ');
  const sums = Prisma.sql`
    (count(*) FILTER (WHERE f.status = 'PAID'))::int AS orders,
    (count(*) FILTER (WHERE f.status = 'CANCELLED'))::int AS "cancelledOrders",
    coalesce(sum(f.tickets) FILTER (WHERE f.status = 'PAID'), 0)::bigint AS "ticketsSold",
    coalesce(sum(f."totalCents") FILTER (WHERE f.status = 'PAID'), 0)::bigint AS "revenueCents",
    coalesce(sum(f."totalCents") FILTER (WHERE f.status = 'CANCELLED'), 0)::bigint AS "refundedCents"`;
  const filtered = Prisma.sql`
    SELECT o.id, o."eventId", o.status::text AS status, o."totalCents", o.currency::text AS currency, o."createdAt",
           (SELECT count(*) FROM "IssuedTicket" it WHERE it."orderId" = o.id) AS tickets
    FROM "Order" o WHERE ${filter}`;

  const [byDay, byEvent, byTier] = await Promise.all([
    deps.db.$queryRaw<Array<FigureRow & { day: string; currency: string }>>`
      WITH f AS (${filtered})
      SELECT to_char(f."createdAt", 'YYYY-MM-DD') AS day, f.currency, ${sums}
      FROM f GROUP BY 1, 2 ORDER BY 1, 2`,
    deps.db.$queryRaw<Array<FigureRow & { eventId: string; eventName: string; currency: string }>>`
      WITH f AS (${filtered})
      SELECT f."eventId"::text AS "eventId", e.name AS "eventName", f.currency, ${sums}
      FROM f JOIN "Event" e ON e.id = f."eventId"
      GROUP BY f."eventId", e.name, e."startsAt", f.currency ORDER BY e."startsAt", e.name, f.currency`,
    deps.db.$queryRaw<Array<{ eventId: string; eventName: string; tierName: string; currency: string; ticketsSold: number; grossCents: bigint }>>`
      SELECT it."eventId"::text AS "eventId", e.name AS "eventName", it."tierName", it.currency::text AS currency,
             count(*)::int AS "ticketsSold", sum(it."priceCents")::bigint AS "grossCents"
      FROM "IssuedTicket" it JOIN "Order" o ON o.id = it."orderId" JOIN "Event" e ON e.id = it."eventId"
      WHERE o.status = 'PAID' AND ${filter}
      GROUP BY it."eventId", e.name, e."startsAt", it."tierName", it.currency
      ORDER BY e."startsAt", e.name, it."tierName", it.currency`,
  ]);

  const totals = byEvent.map(figures).reduce<SalesFigures>(
    (sum, r) => ({
      orders: sum.orders + r.orders,
      cancelledOrders: sum.cancelledOrders + r.cancelledOrders,
      ticketsSold: sum.ticketsSold + r.ticketsSold,
      revenueCents: sum.revenueCents + r.revenueCents,
      refundedCents: sum.refundedCents + r.refundedCents,
    }),
    { orders: 0, cancelledOrders: 0, ticketsSold: 0, revenueCents: 0, refundedCents: 0 },
  );
  const currencies = new Set(byEvent.map((r) => r.currency));
  return {
    totals: { ...totals, currency: currencies.size === 1 ? [...currencies][0]! : null },
    byDay: byDay.map((r) => ({ day: r.day, currency: r.currency, ...figures(r) })),
    byTier: byTier.map((r) => ({ ...r, grossCents: Number(r.grossCents) })),
    byEvent: byEvent.map((r) => ({ eventId: r.eventId, eventName: r.eventName, currency: r.currency, ...figures(r) })),
  };
}
