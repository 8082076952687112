import crypto from 'node:crypto';
import { newBarcode } from '../../server/services/tickets/barcode.js';
import type { SqlSession } from './databases.js';

/**
 * The hand-written SQL the baselines run: the least a correct sale, hold or release needs, with
 * the same rules and the same rows as the app (Ticket, Order, IssuedTicket), and nothing else.
 */

/** The database clock in UTC, as the app compares holdExpiresAt (TIMESTAMP(3) written in UTC). */
const NOW = `(now() AT TIME ZONE 'UTC')`;
/** A seat another buyer may take: free, or held with an expired hold. */
const TAKEABLE = `(t.status = 'AVAILABLE' OR (t.status = 'RESERVED' AND t."holdExpiresAt" <= ${NOW}))`;

/** Thrown inside a transaction to roll it back: somebody else has (one of) the seats. */
export class Taken extends Error {
  override name = 'Taken';
}

/** Deadlocks and serialization failures are lost races too; the app turns them into CONFLICT as well. */
export function isLostRace(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return error instanceof Taken || code === '40P01' || code === '40001';
}

/**
 * Sells seats `number` and `number + 1` of `row`: BEGIN; INSERT the order; one conditional UPDATE
 * ... RETURNING of both seats; INSERT the tickets; COMMIT. The order goes in before the UPDATE
 * because a SOLD seat must name its order (Ticket_status_check) and Ticket.orderId is an immediate
 * foreign key; its totals are summed from the seats' tiers in the same INSERT. Throws Taken (after
 * rolling back) when the UPDATE does not get both seats.
 */
export async function sellPair(session: SqlSession, sale: { eventId: string; userId: string; row: string; number: number }): Promise<void> {
  const orderId = crypto.randomUUID();
  const seats = [sale.number, sale.number + 1];
  await session.transaction(async (q) => {
    await q.query(
      `INSERT INTO "Order" (id, "userId", "eventId", status, "subtotalCents", "discountCents", "totalCents", currency, "idempotencyKey")
       SELECT $1::uuid, $2::uuid, $3::uuid, 'PAID', sum(p."priceCents"), 0, sum(p."priceCents"), min(p.currency), $4
       FROM "Ticket" t JOIN "PriceTier" p ON p.id = t."tierId"
       WHERE t."eventId" = $3::uuid AND t."rowName" = $5 AND t."seatNumber" IN ($6, $7)`,
      [orderId, sale.userId, sale.eventId, crypto.randomUUID(), sale.row, ...seats],
    );
    const sold = await q.query<{ number: number; tierName: string; priceCents: number; currency: string }>(
      `UPDATE "Ticket" t
       SET status = 'SOLD', "orderId" = $1::uuid, "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
       FROM "PriceTier" p
       WHERE p.id = t."tierId" AND t."eventId" = $2::uuid AND t."rowName" = $3 AND t."seatNumber" IN ($4, $5) AND ${TAKEABLE}
       RETURNING t."seatNumber" AS number, p.name AS "tierName", p."priceCents" AS "priceCents", p.currency::text AS currency`,
      [orderId, sale.eventId, sale.row, ...seats],
    );
    if (sold.length !== 2) throw new Taken();
    const [a, b] = sold as [(typeof sold)[0], (typeof sold)[0]];
    await q.query(
      `INSERT INTO "IssuedTicket" (id, barcode, "orderId", "eventId", "rowName", "seatNumber", "tierName", "priceCents", currency)
       VALUES ($1::uuid, $2, $5::uuid, $6::uuid, $7, $8, $9, $10, $11), ($3::uuid, $4, $5::uuid, $6::uuid, $7, $12, $13, $14, $15)`,
      [
        crypto.randomUUID(),
        newBarcode(),
        crypto.randomUUID(),
        newBarcode(),
        orderId,
        sale.eventId,
        sale.row,
        a.number,
        a.tierName,
        a.priceCents,
        a.currency,
        b.number,
        b.tierName,
        b.priceCents,
        b.currency,
      ],
    );
  });
}

/**
 * Holds the two seats for `holdMinutes` in one conditional UPDATE ... RETURNING; the seats it got.
 * Unlike the app's reserve this is not all-or-nothing: the caller releases a partial hold.
 */
export async function holdPair(
  session: SqlSession,
  hold: { eventId: string; userId: string; row: string; number: number; holdMinutes: number },
): Promise<number> {
  const got = await session.query(
    `UPDATE "Ticket" t
     SET status = 'RESERVED', "holdId" = $1::uuid, "heldById" = $2::uuid, "holdExpiresAt" = ${NOW} + $3::float8 * interval '1 minute'
     WHERE t."eventId" = $4::uuid AND t."rowName" = $5 AND t."seatNumber" IN ($6, $7) AND ${TAKEABLE}
     RETURNING t."seatNumber"`,
    [crypto.randomUUID(), hold.userId, hold.holdMinutes, hold.eventId, hold.row, hold.number, hold.number + 1],
  );
  return got.length;
}

/** Releases the caller's own live holds on the two seats in one conditional UPDATE; how many it released. */
export async function releasePair(session: SqlSession, release: { eventId: string; userId: string; row: string; number: number }): Promise<number> {
  const released = await session.query(
    `UPDATE "Ticket" t
     SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
     WHERE t."eventId" = $1::uuid AND t."rowName" = $2 AND t."seatNumber" IN ($3, $4)
       AND t.status = 'RESERVED' AND t."heldById" = $5::uuid AND t."holdExpiresAt" > ${NOW}
     RETURNING t."seatNumber"`,
    [release.eventId, release.row, release.number, release.number + 1, release.userId],
  );
  return released.length;
}
