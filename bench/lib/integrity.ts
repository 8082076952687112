import type { SqlSession } from './databases.js';

export interface SaleCounts {
  /** SOLD seats of the event. */
  sold: number;
  /** Valid (not cancelled) issued tickets of the event. */
  issued: number;
  orders: number;
  /** Each must be 0. */
  violations: { soldSeatWithoutExactlyOneTicket: number; seatIssuedTwice: number; ticketOnSeatNotSoldToItsOrder: number };
}

/** The facts "no seat sold twice" rests on, counted in SQL on one database. */
export async function countSales(session: Pick<SqlSession, 'query'>, eventId: string): Promise<SaleCounts> {
  const [r] = await session.query<{ a: number; b: number; c: number; sold: number; issued: number; orders: number }>(
    `SELECT
       (SELECT count(*)::int FROM "Ticket" t
         WHERE t."eventId" = $1::uuid AND t.status = 'SOLD'
           AND (SELECT count(*) FROM "IssuedTicket" i
                 WHERE i."eventId" = t."eventId" AND i."rowName" = t."rowName" AND i."seatNumber" = t."seatNumber"
                   AND i.status <> 'CANCELLED' AND i."orderId" = t."orderId") <> 1) AS a,
       (SELECT count(*)::int FROM (SELECT 1 FROM "IssuedTicket" WHERE "eventId" = $1::uuid AND status <> 'CANCELLED'
                                    GROUP BY "eventId", "rowName", "seatNumber" HAVING count(*) > 1) twice) AS b,
       (SELECT count(*)::int FROM "IssuedTicket" i
          JOIN "Ticket" t ON t."eventId" = i."eventId" AND t."rowName" = i."rowName" AND t."seatNumber" = i."seatNumber"
         WHERE i."eventId" = $1::uuid AND i.status <> 'CANCELLED' AND (t.status <> 'SOLD' OR t."orderId" IS DISTINCT FROM i."orderId")) AS c,
       (SELECT count(*)::int FROM "Ticket" WHERE "eventId" = $1::uuid AND status = 'SOLD') AS sold,
       (SELECT count(*)::int FROM "IssuedTicket" WHERE "eventId" = $1::uuid AND status <> 'CANCELLED') AS issued,
       (SELECT count(*)::int FROM "Order" WHERE "eventId" = $1::uuid AND status = 'PAID') AS orders`,
    [eventId],
  );
  return {
    sold: r!.sold,
    issued: r!.issued,
    orders: r!.orders,
    violations: { soldSeatWithoutExactlyOneTicket: r!.a, seatIssuedTwice: r!.b, ticketOnSeatNotSoldToItsOrder: r!.c },
  };
}

/**
 * PASS when no rule is broken and every count agrees: the purchases answered 200 (or committed, for
 * the baseline), the orders, two tickets per order, the SOLD seats and, for the app, the sold
 * count inventory.summary answered. The problems found, in words; empty for PASS.
 */
export function integrityProblems(counts: SaleCounts, expected: { orders: number; summarySold?: number }): string[] {
  const problems = Object.entries(counts.violations)
    .filter(([, n]) => n !== 0)
    .map(([name, n]) => `${name}: ${n}`);
  if (counts.orders !== expected.orders) problems.push(`${counts.orders} orders in the database, ${expected.orders} purchases succeeded`);
  if (counts.issued !== 2 * counts.orders) problems.push(`${counts.issued} issued tickets for ${counts.orders} two-seat orders`);
  if (counts.sold !== counts.issued) problems.push(`${counts.sold} SOLD seats but ${counts.issued} issued tickets`);
  if (expected.summarySold !== undefined && expected.summarySold !== counts.issued) {
    problems.push(`inventory.summary says ${expected.summarySold} sold, ${counts.issued} issued tickets`);
  }
  return problems;
}
