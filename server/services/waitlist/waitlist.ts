import type { AppDeps } from '../../deps.js';
import { formatEventTime } from '../../../shared/money.js';
import { MAX_HELD_PER_EVENT, seatLabel, type Seat } from '../../../shared/seats.js';
import { OFFER_MINUTES, type JoinWaitlistInput, type MyWaitingEntry, type WaitingEntry, type WaitingStatus } from '../../../shared/waitlist.js';
import { NOW, transact } from '../../db/transact.js';
import { Prisma } from '../../generated/prisma/client.js';
import { escapeHtml } from '../../lib/mail.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { requireVisible } from '../events/require-on-sale.js';
import { AppError } from '../errors.js';

/**
 * Joins the event's waiting list for `quantity` seats side by side (optionally of one tier): only
 * while that many seats are not free (free seats are bought from the seat map). Joining again while
 * waiting answers the place already held.
 */
export async function joinWaitlist(
  deps: Pick<AppDeps, 'db'>,
  input: JoinWaitlistInput & { userId: string; staff: boolean },
): Promise<MyWaitingEntry> {
  await requireVisible(deps.db, input.eventId, input.staff);
  const [event] = await deps.db.$queryRaw<Array<{ open: boolean }>>`
    SELECT status = 'ON_SALE' AND "startsAt" > ${NOW} AS open FROM "Event" WHERE id = ${input.eventId}::uuid`;
  if (!event?.open) throw new AppError('SALES_CLOSED', 'This event is not on sale, so it has no waiting list.');
  if (input.tierId) {
    const tier = await deps.db.priceTier.findFirst({ where: { id: input.tierId, eventId: input.eventId }, select: { id: true } });
    if (!tier) throw new AppError('TIER_NOT_FOUND', 'No such price tier for this event.');
  }
  const [free] = await deps.db.$queryRaw<Array<{ free: number }>>`
    SELECT count(*)::int AS free FROM "Ticket" t JOIN "PriceTier" p ON p.id = t."tierId"
    WHERE t."eventId" = ${input.eventId}::uuid AND (${input.tierId ?? null}::uuid IS NULL OR t."tierId" = ${input.tierId ?? null}::uuid)
      AND (t.status = 'AVAILABLE' OR (t.status = 'RESERVED' AND t."holdExpiresAt" <= ${NOW}))
      -- Presale seats are not free for the line: offers never make them (best available skips them).
      AND NOT p.hidden`;
  const existing = await myWaitingEntry(deps, { eventId: input.eventId, userId: input.userId });
  if (existing) return existing;
  if ((free?.free ?? 0) >= input.quantity)
    throw new AppError(
      'SEATS_FREE',
      `${input.quantity === 1 ? 'A seat is' : `${input.quantity} seats are`} free right now: pick them on the seat map.`,
    );
  // One open entry per shopper and event (a partial unique index): a racing second join does nothing.
  await deps.db.$executeRaw`
    INSERT INTO "WaitingEntry" ("eventId", "userId", quantity, "tierId", "createdAt")
    VALUES (${input.eventId}::uuid, ${input.userId}::uuid, ${input.quantity}, ${input.tierId ?? null}::uuid, ${NOW})
    ON CONFLICT ("eventId", "userId") WHERE status IN ('WAITING', 'OFFERED') DO NOTHING`;
  return (await myWaitingEntry(deps, { eventId: input.eventId, userId: input.userId }))!;
}

/** The caller's open entry on the event's list, with their place in line; null when they are not on it. */
export async function myWaitingEntry(deps: Pick<AppDeps, 'db'>, input: { eventId: string; userId: string }): Promise<MyWaitingEntry | null> {
  const [row] = await deps.db.$queryRaw<
    Array<{
      id: string;
      quantity: number;
      tierId: string | null;
      status: 'WAITING' | 'OFFERED';
      offerExpiresAt: Date | null;
      createdAt: Date;
      ahead: number;
    }>
  >`
    SELECT w.id::text, w.quantity, w."tierId"::text AS "tierId", w.status, w."offerExpiresAt", w."createdAt",
           (SELECT count(*) FROM "WaitingEntry" o
             WHERE o."eventId" = w."eventId" AND o.status = 'WAITING' AND (o."createdAt", o.id) < (w."createdAt", w.id))::int AS ahead
    FROM "WaitingEntry" w
    WHERE w."eventId" = ${input.eventId}::uuid AND w."userId" = ${input.userId}::uuid AND w.status IN ('WAITING', 'OFFERED')`;
  if (!row) return null;
  return {
    id: row.id,
    eventId: input.eventId,
    quantity: row.quantity,
    tierId: row.tierId,
    status: row.status,
    position: row.ahead + 1,
    offerExpiresAt: row.offerExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Ends an open entry (the shopper left, or staff removed it); an offer's held seats go back on sale. */
async function endEntry(
  deps: Pick<AppDeps, 'database'>,
  where: { id: string } | { eventId: string; userId: string },
  status: 'LEFT' | 'REMOVED',
  actor: Actor | null,
) {
  const which =
    'id' in where ? Prisma.sql`id = ${where.id}::uuid` : Prisma.sql`"eventId" = ${where.eventId}::uuid AND "userId" = ${where.userId}::uuid`;
  return transact(deps.database, async (tx) => {
    const [entry] = await tx.$queryRaw<Array<{ id: string; eventId: string; userId: string; status: string; holdId: string | null }>>`
      SELECT id::text, "eventId"::text AS "eventId", "userId"::text AS "userId", status, "holdId"::text AS "holdId" FROM "WaitingEntry"
      WHERE status IN ('WAITING', 'OFFERED') AND ${which}
      FOR UPDATE`;
    if (!entry) return null;
    await tx.$executeRaw`UPDATE "WaitingEntry" SET status = ${status}, "endedAt" = ${NOW} WHERE id = ${entry.id}::uuid`;
    if (entry.status === 'OFFERED' && entry.holdId)
      await tx.$executeRaw`
        UPDATE "Ticket" SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
        WHERE "eventId" = ${entry.eventId}::uuid AND "holdId" = ${entry.holdId}::uuid AND status = 'RESERVED'`;
    if (status === 'REMOVED')
      await recordAction(tx, actor, {
        type: 'waitlist_remove',
        userId: entry.userId,
        eventId: entry.eventId,
        detail: { before: { status: entry.status } },
      });
    return entry;
  });
}

export async function leaveWaitlist(deps: Pick<AppDeps, 'database'>, input: { eventId: string; userId: string }): Promise<void> {
  await endEntry(deps, input, 'LEFT', null);
}

export async function removeWaitingEntry(deps: Pick<AppDeps, 'database'>, input: { id: string }, actor: Actor): Promise<void> {
  const entry = await endEntry(deps, { id: input.id }, 'REMOVED', actor);
  if (!entry) throw new AppError('WAITING_ENTRY_NOT_FOUND', 'No such entry on a waiting list (it may have ended already).');
}

/** The event's list for staff: open entries in line order, then the 200 most recent ended ones. */
export async function listWaitlist(deps: Pick<AppDeps, 'db'>, input: { eventId: string }): Promise<WaitingEntry[]> {
  const rows = await deps.db.waitingEntry.findMany({
    where: { eventId: input.eventId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 2000,
    select: {
      id: true,
      quantity: true,
      status: true,
      offerExpiresAt: true,
      createdAt: true,
      user: { select: { name: true, email: true } },
      tier: { select: { name: true } },
    },
  });
  const open = rows.filter((r) => r.status === 'WAITING' || r.status === 'OFFERED');
  const ended = rows
    .filter((r) => !open.includes(r))
    .slice(-200)
    .reverse();
  return [...open, ...ended].map((r) => ({
    id: r.id,
    userName: r.user.name,
    email: r.user.email,
    quantity: r.quantity,
    tierName: r.tier?.name ?? null,
    status: r.status as WaitingStatus,
    offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

interface Offer {
  entryId: string;
  email: string;
  name: string;
  eventId: string;
  eventName: string;
  startsAt: Date;
  timeZone: string;
  seats: Seat[];
  expiresAt: string;
}

/**
 * The waiting lists' sweep (run by the hold sweeper, on every instance):
 * 1. an offer whose shopper bought (an order for the event since the offer) is BOUGHT; one not bought
 *    by its end LAPSED (its held seats expire with it, and pass on below);
 * 2. per event with shoppers waiting, in line order, each is offered the best block of their
 *    quantity (tessera_reserve_best(), held for them OFFER_MINUTES); a shopper whose block is not
 *    free is passed over for now (someone behind wanting fewer seats, or another tier, may fit).
 * Each event is offered under a transaction-scoped advisory lock taken with try: two instances
 * sweeping at once never offer the same event's seats twice (the second skips the event), and the
 * holds and the entries' OFFERED status commit together. Offers are mailed after the commit.
 * Answers how many offers were made.
 */
export async function offerWaitingSeats(deps: Pick<AppDeps, 'db' | 'database' | 'mailer' | 'config' | 'log'>): Promise<number> {
  await deps.db.$executeRaw`
    UPDATE "WaitingEntry" w
    SET status = CASE WHEN bought THEN 'BOUGHT' ELSE 'LAPSED' END, "endedAt" = ${NOW}
    FROM (
      SELECT w2.id, EXISTS (
        SELECT 1 FROM "Order" o WHERE o."userId" = w2."userId" AND o."eventId" = w2."eventId" AND o."createdAt" >= w2."offeredAt"
          AND o.status IN ('PAID', 'PENDING')) AS bought
      FROM "WaitingEntry" w2 WHERE w2.status = 'OFFERED'
    ) s
    WHERE w.id = s.id AND w.status = 'OFFERED' AND (s.bought OR w."offerExpiresAt" <= ${NOW})`;

  const events = await deps.db.$queryRaw<Array<{ eventId: string }>>`
    SELECT DISTINCT "eventId"::text AS "eventId" FROM "WaitingEntry" WHERE status = 'WAITING'`;
  const offers: Offer[] = [];
  for (const { eventId } of events) {
    const made = await transact(deps.database, async (tx) => {
      const [lock] = await tx.$queryRaw<Array<{ ok: boolean }>>`SELECT pg_try_advisory_xact_lock(4102, hashtext(${eventId})) AS ok`;
      if (!lock?.ok) return [];
      const event = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { name: true, startsAt: true, timeZone: true } });
      const waiting = await tx.$queryRaw<Array<{ id: string; userId: string; quantity: number; tierId: string | null; email: string; name: string }>>`
        SELECT w.id::text, w."userId"::text AS "userId", w.quantity, w."tierId"::text AS "tierId", u.email, u.name
        FROM "WaitingEntry" w JOIN "User" u ON u.id = w."userId"
        WHERE w."eventId" = ${eventId}::uuid AND w.status = 'WAITING'
        ORDER BY w."createdAt", w.id
        FOR UPDATE OF w`;
      const madeHere: Offer[] = [];
      for (const entry of waiting) {
        const [row] = await tx.$queryRawUnsafe<Array<{ result: { holdId: string; expiresAt: string; seats: Seat[] } | { error: string } }>>(
          'SELECT tessera_reserve_best($1::uuid, $2::uuid, $3::int, $4::uuid, NULL, NULL, $5::float8, false, $6::int) AS result',
          eventId,
          entry.userId,
          entry.quantity,
          entry.tierId,
          OFFER_MINUTES * 60,
          MAX_HELD_PER_EVENT,
        );
        const result = row!.result;
        if ('error' in result) {
          // The event closed (started, cancelled): nobody can be offered seats any more.
          if (result.error === 'SALES_CLOSED' || result.error === 'EVENT_CANCELLED' || result.error === 'EVENT_NOT_FOUND') break;
          continue;
        }
        await tx.$executeRaw`
          UPDATE "WaitingEntry" SET status = 'OFFERED', "holdId" = ${result.holdId}::uuid, "offeredAt" = ${NOW},
                 "offerExpiresAt" = ${result.expiresAt}::timestamptz AT TIME ZONE 'UTC'
          WHERE id = ${entry.id}::uuid`;
        madeHere.push({
          entryId: entry.id,
          email: entry.email,
          name: entry.name,
          eventId,
          eventName: event.name,
          startsAt: event.startsAt,
          timeZone: event.timeZone,
          seats: result.seats,
          expiresAt: result.expiresAt,
        });
      }
      return madeHere;
    });
    offers.push(...made);
  }
  for (const offer of offers) {
    try {
      await deps.mailer.send(offerMail(offer, deps.config));
    } catch (err) {
      // The offer stands (the seats are held and the page shows it); only its mail was lost.
      deps.log.warn({ err, waitingEntry: offer.entryId }, 'waiting-list offer mail could not be sent');
    }
  }
  return offers.length;
}

function offerMail(offer: Offer, config: { appOrigin: string }) {
  const link = `${config.appOrigin}/events/${offer.eventId}`;
  const until = formatEventTime(offer.expiresAt, offer.timeZone);
  const seats = offer.seats.map(seatLabel).join(', ');
  const count = offer.seats.length === 1 ? 'A seat' : `${offer.seats.length} seats`;
  const lines = [
    `Hello ${offer.name},`,
    '',
    `${count} for ${offer.eventName} (${formatEventTime(offer.startsAt, offer.timeZone)}) came free, and you were next on the waiting list: ${seats}.`,
    `They are held for you until ${until}. Buy them here: ${link}`,
    'If you do not, they pass to the next person waiting.',
    '',
    'Tessera',
  ];
  return {
    to: offer.email,
    subject: `Seats for ${offer.eventName} are held for you until ${until}`,
    text: lines.join('\n'),
    html: `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#111827">${lines
      .filter((l) => l !== '')
      .map((l) => `<p>${escapeHtml(l).replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)}</p>`)
      .join('\n')}</body></html>`,
    link,
  };
}
