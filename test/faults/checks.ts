import pg from 'pg';
import { bearer, call, label, signIn } from './api.js';
import type { AppInstance } from './instance.js';
import type { Ledger } from './load.js';

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
  /** A few of the cases that broke the rule, for the report. */
  examples?: string[];
}

const check = (name: string, bad: number, detail: string, examples: string[] = []): Check => ({ name, pass: bad === 0, detail, examples });

/**
 * A session signed in on one instance and signed out on the other: its access token must be
 * refused (401) on both instances from the very next request.
 */
export async function checkRevocation(signInOn: AppInstance, logoutOn: AppInstance, account: { email: string; password: string }): Promise<Check> {
  const name = `revocation: signed in on ${signInOn.name}, signed out on ${logoutOn.name}`;
  const fail = (detail: string): Check => ({ name, pass: false, detail });
  const token = await signIn(signInOn.url, account.email, account.password);
  const me = (instance: AppInstance) => call(instance.url, 'auth.me', { method: 'GET', headers: bearer(token) }).then(label);
  for (const instance of [signInOn, logoutOn]) {
    const before = await me(instance);
    if (before !== '200') return fail(`before sign-out, auth.me on ${instance.name} answered ${before}`);
  }
  const startedAt = performance.now();
  const logout = await call(logoutOn.url, 'auth.logout', { headers: bearer(token), body: {} });
  const logoutMs = Math.round(performance.now() - startedAt);
  if (label(logout) !== '200') return fail(`auth.logout on ${logoutOn.name} answered ${label(logout)}`);
  // Both at once: the instance that signed out answered only after the other had read the change.
  const sameInstance = await me(logoutOn);
  if (sameInstance !== '401') return fail(`right after sign-out, auth.me on ${logoutOn.name} answered ${sameInstance}`);
  const other = await me(signInOn);
  if (other !== '401') return fail(`right after sign-out, auth.me on ${signInOn.name} answered ${other}`);
  return { name, pass: true, detail: `401 on both at the next request (the sign-out took ${logoutMs} ms)` };
}

export interface IntegrityResult {
  checks: Check[];
  counts: DatabaseCounts;
  /** Orders committed whose every attempt got no answer (gave up): not a violation, reported. */
  committedUnanswered: string[];
  /** Sales answered on a retry whose order an earlier attempt had committed (its answer lost): the retry returned it. */
  rescuedByRetry: number;
}

export interface DatabaseCounts {
  paidOrders: number;
  otherOrders: number;
  soldSeats: number;
  reservedSeats: number;
  liveTickets: number;
}

interface OrderRow {
  id: string;
  userId: string | null;
  idempotencyKey: string;
  status: string;
  /** When its transaction started, ms since the epoch. */
  createdMs: number;
  seats: string[];
}

const one = async (client: pg.Client, sql: string): Promise<number> => {
  const { rows } = await client.query<{ n: number }>(sql);
  return rows[0]!.n;
};

const LIVE = `status <> 'CANCELLED'`;

/** The integrity rules (a-f), in SQL on the database after the load, and the HTTP answers compared with it. */
export async function checkIntegrity(databaseUrl: string, ledger: Ledger): Promise<IntegrityResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const seatsTwice = await one(
      client,
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM "IssuedTicket" WHERE ${LIVE} GROUP BY "eventId", "rowName", "seatNumber" HAVING count(*) > 1) twice`,
    );
    const soldBadly = await one(
      client,
      `SELECT count(*)::int AS n FROM "Ticket" t LEFT JOIN "Order" o ON o.id = t."orderId"
        WHERE t.status = 'SOLD' AND (o.id IS NULL OR o.status <> 'PAID' OR
          (SELECT count(*) FROM "IssuedTicket" i
            WHERE i."orderId" = t."orderId" AND i."eventId" = t."eventId" AND i."rowName" = t."rowName"
              AND i."seatNumber" = t."seatNumber" AND i.${LIVE}) <> 1)`,
    );
    const ticketOnWrongSeat = await one(
      client,
      `SELECT count(*)::int AS n FROM "IssuedTicket" i
         JOIN "Ticket" t ON t."eventId" = i."eventId" AND t."rowName" = i."rowName" AND t."seatNumber" = i."seatNumber"
        WHERE i.${LIVE} AND (t.status <> 'SOLD' OR t."orderId" IS DISTINCT FROM i."orderId")`,
    );
    const { rows: orderSums } = await client.query<{ empty: number; subtotal: number; total: number }>(
      `SELECT count(*) FILTER (WHERE s.live = 0)::int AS empty,
              count(*) FILTER (WHERE o."subtotalCents" <> s.sum)::int AS subtotal,
              count(*) FILTER (WHERE o."totalCents" <> o."subtotalCents" - o."discountCents")::int AS total
         FROM "Order" o
         CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE i.${LIVE}) AS live, coalesce(sum(i."priceCents"), 0) AS sum
                               FROM "IssuedTicket" i WHERE i."orderId" = o.id) s
        WHERE o.status = 'PAID'`,
    );
    const holdsIncomplete = await one(
      client,
      `SELECT count(*)::int AS n FROM "Ticket" WHERE status = 'RESERVED' AND ("holdId" IS NULL OR "heldById" IS NULL OR "holdExpiresAt" IS NULL)`,
    );
    const counts: DatabaseCounts = {
      paidOrders: await one(client, `SELECT count(*)::int AS n FROM "Order" WHERE status = 'PAID'`),
      otherOrders: await one(client, `SELECT count(*)::int AS n FROM "Order" WHERE status <> 'PAID'`),
      soldSeats: await one(client, `SELECT count(*)::int AS n FROM "Ticket" WHERE status = 'SOLD'`),
      reservedSeats: await one(client, `SELECT count(*)::int AS n FROM "Ticket" WHERE status = 'RESERVED'`),
      liveTickets: await one(client, `SELECT count(*)::int AS n FROM "IssuedTicket" WHERE ${LIVE}`),
    };
    const { rows: orders } = await client.query<OrderRow>(
      `SELECT o.id, o."userId", o."idempotencyKey", o.status, extract(epoch FROM o."createdAt")::float8 * 1000 AS "createdMs",
              array_remove(array_agg(i."rowName" || '-' || i."seatNumber"), NULL) AS seats
         FROM "Order" o LEFT JOIN "IssuedTicket" i ON i."orderId" = o.id GROUP BY o.id`,
    );
    const sums = orderSums[0]!;
    const answers = compareAnswers(orders, ledger);
    const checks: Check[] = [
      check('a) no seat sold twice', seatsTwice, `${seatsTwice} seats with 2+ live issued tickets`),
      check('b) every SOLD seat: PAID order, exactly one live ticket of it', soldBadly, `${soldBadly} of ${counts.soldSeats} SOLD seats wrong`),
      check(
        'c) every live ticket on a seat SOLD to its order',
        ticketOnWrongSeat,
        `${ticketOnWrongSeat} of ${counts.liveTickets} live tickets wrong`,
      ),
      check(
        'd) PAID orders: tickets, subtotal = sum of prices, total = subtotal - discount',
        sums.empty + sums.subtotal + sums.total,
        `${sums.empty} without live tickets, ${sums.subtotal} subtotals and ${sums.total} totals wrong, of ${counts.paidOrders}`,
      ),
      check(
        'e) every RESERVED seat has its hold (holdId, heldById, holdExpiresAt)',
        holdsIncomplete,
        `${holdsIncomplete} of ${counts.reservedSeats} wrong`,
      ),
      answers.check,
      check(
        'g) SOLD seats = live tickets = 2 x PAID orders',
        counts.soldSeats === counts.liveTickets && counts.liveTickets === 2 * counts.paidOrders ? 0 : 1,
        `${counts.soldSeats} SOLD seats, ${counts.liveTickets} live tickets, ${counts.paidOrders} PAID orders`,
      ),
      check(
        'h) idempotency over HTTP: one order per key, with the seats asked for',
        ledger.violations.length,
        `${ledger.sales.size} keys sold, ${ledger.replays} replayed, ${ledger.violations.length} broken`,
        ledger.violations,
      ),
      refusalsCheck(ledger),
    ];
    return { checks, counts, committedUnanswered: answers.committedUnanswered, rescuedByRetry: answers.rescuedByRetry };
  } finally {
    await client.end();
  }
}

/** Seats taken (or the seats' rows busy) is the only refusal a buyer may get; a 401 after a restart or a reused-key refusal is a bug. */
const EXPECTED_REFUSALS = ['409 SEATS_UNAVAILABLE', '409 BUSY'];

function refusalsCheck(ledger: Ledger): Check {
  const unexpected = [...ledger.refusals].filter(([what]) => !EXPECTED_REFUSALS.includes(what));
  const total = [...ledger.refusals.values()].reduce((a, b) => a + b, 0);
  return check(
    `i) every refusal is ${EXPECTED_REFUSALS.join(' or ')}`,
    unexpected.length,
    `${total} refusals, ${unexpected.reduce((a, [, n]) => a + n, 0)} unexpected`,
    unexpected.map(([what, n]) => `${n} x ${what}`),
  );
}

/**
 * (f) The database's orders against the answers: every order answered 200 is in the database,
 * PAID, the buyer's, under the key and with the seats of the request; every order in the database
 * was answered, except those whose every attempt got no answer ("committed but unanswered").
 */
function compareAnswers(orders: OrderRow[], ledger: Ledger): { check: Check; committedUnanswered: string[]; rescuedByRetry: number } {
  const byId = new Map(orders.map((o) => [o.id, o]));
  const seatList = (seats: readonly string[]) => [...seats].sort().join(',');
  const problems: string[] = [];
  const seen = new Set<string>();
  let rescuedByRetry = 0;
  for (const [key, sale] of ledger.sales) {
    seen.add(sale.orderId);
    const order = byId.get(sale.orderId);
    // Same machine, same clock: an order whose transaction began before the answering retry was sent came from an earlier attempt.
    if (order && sale.retrySentAt !== null && order.createdMs < sale.retrySentAt) rescuedByRetry++;
    if (!order) problems.push(`order ${sale.orderId} (key ${key}) answered 200 but is not in the database`);
    else if (order.status !== 'PAID' || order.userId !== sale.buyerId || order.idempotencyKey !== key) {
      problems.push(
        `order ${sale.orderId}: ${order.status}, user ${order.userId}, key ${order.idempotencyKey}; answered to ${sale.buyerId} for key ${key}`,
      );
    } else if (seatList(order.seats) !== seatList(sale.seats.map((s) => `${s.row}-${s.number}`))) {
      problems.push(`order ${sale.orderId}: seats ${seatList(order.seats)} in the database, others answered`);
    }
  }
  const committedUnanswered: string[] = [];
  for (const order of orders) {
    if (seen.has(order.id)) continue;
    if (order.status === 'PAID' && ledger.outcomes.get(order.idempotencyKey) === 'gave up') committedUnanswered.push(order.id);
    else
      problems.push(
        `order ${order.id} (${order.status}, key ${order.idempotencyKey}: ${ledger.outcomes.get(order.idempotencyKey) ?? 'never sent'}) was never answered 200`,
      );
  }
  return {
    check: check(
      'f) orders in the database = orders answered 200',
      problems.length,
      `${orders.length} orders in the database, ${seen.size} answered 200, ${committedUnanswered.length} committed but unanswered, ${problems.length} unexplained`,
      problems,
    ),
    committedUnanswered,
    rescuedByRetry,
  };
}
