import crypto from 'node:crypto';
import { databaseDeps, type Database } from '../server/db/database.js';
import { createEvent } from '../server/services/events/create-event.js';
import { generateSeats } from '../server/services/inventory/generate-seats.js';
import { setGroupDiscounts } from '../server/services/pricing/set-group-discounts.js';
import { setTiers } from '../server/services/pricing/set-tiers.js';
import { AppError } from '../server/services/errors.js';
import { issuesToFieldErrors } from '../shared/field-errors.js';
import { validationIssues } from '../server/trpc/errors.js';
import type { PaymentMethod } from '../shared/orders.js';
import type { GroupDiscountRule, Tier } from '../shared/pricing.js';
import type { TestDatabase } from './db.js';

export interface EventFixture {
  eventId: string;
  tiers: Tier[];
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/**
 * An event with tiers and seats: by default ON_SALE in 30 days, one tier "Standard" at 50.00 USD,
 * rows A and B of 10 seats each. `rows` entries are [name, seats, tier index].
 */
export async function createEventWithSeats(
  db: TestDatabase,
  options: {
    name?: string;
    venue?: string;
    status?: 'DRAFT' | 'ON_SALE';
    startsAt?: string;
    tiers?: Array<{ name: string; priceCents: number; currency: string }>;
    rows?: Array<[string, number, number?]>;
    discounts?: GroupDiscountRule[];
    paymentMethods?: PaymentMethod[];
    payLaterDays?: number;
  } = {},
): Promise<EventFixture> {
  const deps = databaseDeps(db);
  const event = await createEvent(
    deps,
    {
      name: options.name ?? `Concert ${crypto.randomUUID().slice(0, 8)}`,
      venue: options.venue ?? 'Test Hall',
      startsAt: options.startsAt ?? inDays(30),
      status: options.status ?? 'ON_SALE',
      ...(options.paymentMethods ? { paymentMethods: options.paymentMethods } : {}),
      ...(options.payLaterDays ? { payLaterDays: options.payLaterDays } : {}),
    },
    null,
  );
  const tiers = await setTiers(
    deps,
    {
      eventId: event.id,
      tiers: options.tiers ?? [{ name: 'Standard', priceCents: 5000, currency: 'USD' }],
    },
    null,
  );
  const byName = (options.tiers ?? [{ name: 'Standard' }]).map((t) => tiers.find((x) => x.name === t.name)!);
  const rows = options.rows ?? [
    ['A', 10],
    ['B', 10],
  ];
  if (rows.length > 0) {
    await generateSeats(
      deps,
      {
        eventId: event.id,
        rows: rows.map(([name, seats, tier]) => ({ name, seats, tierId: byName[tier ?? 0]!.id })),
      },
      null,
    );
  }
  if (options.discounts) await setGroupDiscounts(deps, { eventId: event.id, rules: options.discounts }, null);
  return { eventId: event.id, tiers: byName };
}

/** Everything a failed call must leave unchanged: every seat row, and the order and ticket rows. */
export async function inventorySnapshot(db: TestDatabase) {
  const [seats, orders, issued, events, tiers, discounts, transfers] = await Promise.all([
    db.prisma.ticket.findMany({
      select: {
        eventId: true,
        rowName: true,
        seatNumber: true,
        status: true,
        holdId: true,
        heldById: true,
        holdExpiresAt: true,
        orderId: true,
        tierId: true,
      },
      orderBy: [{ eventId: 'asc' }, { rowName: 'asc' }, { seatNumber: 'asc' }],
    }),
    db.prisma.order.findMany({
      select: { id: true, status: true, totalCents: true, refundedCents: true, paymentDueAt: true, paidAt: true },
      orderBy: { id: 'asc' },
    }),
    db.prisma.issuedTicket.findMany({ select: { barcode: true, status: true, holderId: true }, orderBy: { barcode: 'asc' } }),
    db.prisma.event.findMany({
      select: {
        id: true,
        name: true,
        status: true,
        startsAt: true,
        endsAt: true,
        venue: true,
        paymentMethods: true,
        payLaterDays: true,
        transfersAllowed: true,
      },
      orderBy: { id: 'asc' },
    }),
    db.prisma.priceTier.findMany({ select: { id: true, name: true, priceCents: true, currency: true }, orderBy: { id: 'asc' } }),
    db.prisma.groupDiscount.findMany({ select: { eventId: true, minQuantity: true, percentOff: true }, orderBy: { id: 'asc' } }),
    db.prisma.ticketTransfer.findMany({ select: { id: true, status: true, toUserId: true, oldBarcode: true }, orderBy: { id: 'asc' } }),
  ]);
  return { seats, orders, issued, events, tiers, discounts, transfers };
}

/** The error a rejected call threw, for assertions on code and data. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; message: string; cause?: unknown };
    const issues = validationIssues(e.cause);
    const data = issues ? issuesToFieldErrors(issues) : e.cause instanceof AppError ? e.cause.data : {};
    return { code: e.code ?? 'UNKNOWN', message: e.message, data };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

export const seats = (...labels: string[]) =>
  labels.map((label) => {
    const m = /^([A-Z]+)(\d+)$/.exec(label)!;
    return { row: m[1]!, number: Number(m[2]) };
  });

/**
 * A crowd on the event: `count` new accounts each hold one seat for an hour (taken in seat order,
 * from `rows` when given), written straight in SQL so thousands take a moment. For tests and
 * benches of what other shoppers' holds cost one buyer.
 */
export async function holdSeatsForOthers(db: Pick<Database, 'query'>, eventId: string, count: number, rows?: string[]): Promise<void> {
  await db.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
     SELECT gen_random_uuid(), 'other-' || i || '@crowd.example', 'Other ' || i, 'x', now() FROM generate_series(1, $1::int) i`,
    [count],
  );
  await db.query(
    `WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM "User" WHERE email LIKE 'other-%@crowd.example'),
          s AS (SELECT "rowName", "seatNumber", row_number() OVER (ORDER BY "rowName", "seatNumber") AS k
                FROM "Ticket" WHERE "eventId" = $1::uuid AND ($2::text[] IS NULL OR "rowName" = ANY($2::text[])))
     UPDATE "Ticket" t SET status = 'RESERVED', "holdId" = gen_random_uuid(), "heldById" = u.id,
            "holdExpiresAt" = (now() AT TIME ZONE 'UTC') + interval '1 hour'
     FROM s JOIN u ON u.k = s.k
     WHERE t."eventId" = $1::uuid AND t."rowName" = s."rowName" AND t."seatNumber" = s."seatNumber"`,
    [eventId, rows ?? null],
  );
}
