import type { AppDeps } from '../../deps.js';
import { NOW } from '../../db/transact.js';

/**
 * Expires pay-later orders not paid by their deadline, up to `batchSize` at a time, in one
 * statement: the orders turn EXPIRED, their seats AVAILABLE, their tickets CANCELLED, a mail job
 * and an audit row are written for each, and a code an order used is given back. SKIP LOCKED passes over an order a payment (or another
 * instance's sweep) holds right now, and the status is checked again on the locked row, so two
 * instances never expire one order twice and a payment recorded at the same moment either wins
 * (the order is PAID, nothing here touches it) or loses (ORDER_NOT_PAYABLE), never half of each.
 * Answers how many orders expired.
 */
export async function expireUnpaidOrders(deps: Pick<AppDeps, 'db'>, batchSize = 500): Promise<number> {
  let expired = 0;
  for (;;) {
    const [row] = await deps.db.$queryRaw<Array<{ expired: number }>>`
      WITH due AS (
        SELECT id FROM "Order"
        WHERE status = 'PENDING' AND "paymentDueAt" <= ${NOW}
        ORDER BY "paymentDueAt" LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      ), expired AS (
        UPDATE "Order" o SET status = 'EXPIRED', "cancelledAt" = ${NOW}
        FROM due WHERE o.id = due.id AND o.status = 'PENDING'
        RETURNING o.id, o."userId", o."eventId", o.number, o."totalCents", o.currency, o."paymentMethod", o."paymentDueAt", o."voucherId"
      ), vouchers AS (
        UPDATE "Voucher" v SET uses = greatest(v.uses - g.n, 0)
        FROM (SELECT "voucherId", count(*)::int AS n FROM expired WHERE "voucherId" IS NOT NULL GROUP BY 1) g
        WHERE v.id = g."voucherId"
        RETURNING 1
      ), seats AS (
        UPDATE "Ticket" t SET status = 'AVAILABLE', "orderId" = NULL
        FROM expired WHERE t."orderId" = expired.id
        RETURNING 1
      ), tickets AS (
        UPDATE "IssuedTicket" it SET status = 'CANCELLED'
        FROM expired WHERE it."orderId" = expired.id
        RETURNING 1
      ), mail AS (
        INSERT INTO "MailJob" (kind, "orderId") SELECT 'ORDER_EXPIRED', id FROM expired
        RETURNING 1
      ), audit AS (
        INSERT INTO "AuthEvent" (id, type, "userId", email, detail, "eventId", "orderId", "createdAt")
        SELECT gen_random_uuid(), 'order_expire', e."userId", u.email,
               jsonb_build_object('number', e.number, 'amountCents', e."totalCents", 'currency', e.currency, 'method', e."paymentMethod",
                                  'dueAt', tessera_iso(e."paymentDueAt"), 'before', jsonb_build_object('status', 'PENDING'),
                                  'after', jsonb_build_object('status', 'EXPIRED')),
               e."eventId", e.id, ${NOW}
        FROM expired e LEFT JOIN "User" u ON u.id = e."userId"
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM expired)::int AS expired, (SELECT count(*) FROM seats)::int AS seats,
             (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM mail)::int AS mail, (SELECT count(*) FROM audit)::int AS audit,
             (SELECT count(*) FROM vouchers)::int AS vouchers`;
    const count = row?.expired ?? 0;
    expired += count;
    if (count < batchSize) return expired;
  }
}
