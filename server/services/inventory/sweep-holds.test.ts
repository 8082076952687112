import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../../test/app.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { createEventWithSeats, seats } from '../../../test/inventory-fixtures.js';
import { authUserFor, createUser } from '../../../test/users.js';
import { databaseDeps } from '../../db/database.js';
import { testConfig } from '../../../test/config.js';
import { purchaseSeats } from '../tickets/purchase-seats.js';
import { reserveSeats } from '../tickets/reserve-seats.js';
import { sweepExpiredHolds } from './sweep-holds.js';

let t: TestApp;
/** A database no app sweeps, so the counts below are the sweeps' own. */
let bare: TestDatabase;
beforeAll(async () => {
  bare = await createTestDatabase();
  // 0.01 minutes = 0.6 s holds, swept every second.
  t = await startTestApp({ config: { holdMinutes: 0.01, sweepIntervalSeconds: 1 } });
});
afterAll(async () => {
  await t.close();
  await bare.close();
});

/** Services on the bare database. */
const on = () => ({ ...databaseDeps(bare), config: testConfig() });

const rowsOf = (db: TestDatabase, eventId: string) =>
  db.prisma.ticket.findMany({
    where: { eventId, rowName: 'A', seatNumber: { lte: 4 } },
    select: { seatNumber: true, status: true, holdId: true, heldById: true, holdExpiresAt: true },
    orderBy: { seatNumber: 'asc' },
  });

describe('the hold sweeper', () => {
  it('turns expired holds back into plain AVAILABLE rows and leaves live holds and sales alone', async () => {
    const buyer = await createUser(on());
    const { eventId } = await createEventWithSeats(bare);
    const common = { userId: buyer.id, eventId, staff: false };
    await reserveSeats(on(), { ...common, seats: seats('A1', 'A2'), holdMinutes: 10 });
    await purchaseSeats(on(), { ...common, seats: seats('A3'), idempotencyKey: 'sweep-test-1' });
    await bare.prisma.ticket.updateMany({ where: { eventId, seatNumber: 1, rowName: 'A' }, data: { holdExpiresAt: new Date(Date.now() - 1) } });

    expect(await sweepExpiredHolds(on())).toBe(1);
    const rows = await rowsOf(bare, eventId);
    expect(rows[0]).toEqual({ seatNumber: 1, status: 'AVAILABLE', holdId: null, heldById: null, holdExpiresAt: null });
    expect(rows[1]).toMatchObject({ seatNumber: 2, status: 'RESERVED', heldById: buyer.id });
    expect(rows[2]).toMatchObject({ seatNumber: 3, status: 'SOLD' });
    expect(rows[3]).toMatchObject({ seatNumber: 4, status: 'AVAILABLE' });
  });

  it('several sweepers at once release each expired hold exactly once, in batches', async () => {
    const buyer = await createUser(on());
    const { eventId } = await createEventWithSeats(bare, { rows: [['A', 300]] });
    for (let i = 0; i < 300; i += 10) {
      await bare.prisma.ticket.updateMany({
        where: { eventId, rowName: 'A', seatNumber: { gt: i, lte: i + 10 } },
        data: { status: 'RESERVED', holdId: crypto.randomUUID(), heldById: buyer.id, holdExpiresAt: new Date(Date.now() - 1000) },
      });
    }
    const released = await Promise.all([sweepExpiredHolds(on(), 50), sweepExpiredHolds(on(), 50), sweepExpiredHolds(on(), 50)]);
    expect(released.reduce((a, b) => a + b, 0)).toBe(300);
    expect(await bare.prisma.ticket.count({ where: { eventId, status: 'RESERVED' } })).toBe(0);
  });

  it('runs on its interval in the app: a short hold is tidied without anyone asking', async () => {
    const buyer = await authUserFor(t, (await createUser(t)).id);
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, buyer).tickets.reserve({ eventId, seats: seats('A4') });
    const deadline = Date.now() + 10_000;
    let row = (await rowsOf(t.db, eventId))[3]!;
    while (row.status !== 'AVAILABLE' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      row = (await rowsOf(t.db, eventId))[3]!;
    }
    expect(row).toEqual({ seatNumber: 4, status: 'AVAILABLE', holdId: null, heldById: null, holdExpiresAt: null });
  });
});
