import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { createEventWithSeats } from '../../../test/inventory-fixtures.js';
import { callHttp, createUser, signIn } from '../../../test/users.js';

/**
 * Many buyers at once, over real HTTP with real access tokens, on overlapping seats. On PostgreSQL
 * (TEST_DATABASE_URL) the requests really run in parallel on a connection pool; on PGlite the same
 * test checks that its one session serializes them correctly.
 */
const BUYERS = 120;
let t: TestApp;
let tokens: string[];
beforeAll(async () => {
  t = await startTestApp({ config: { logLevel: 'warn' } });
  tokens = [];
  for (let i = 0; i < BUYERS; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, BUYERS - i) }, async () => {
        const user = await createUser(t);
        return (await signIn(t, user.email, user.password)).accessToken;
      }),
    );
    tokens.push(...batch);
  }
}, 120_000);
afterAll(() => t.close());

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** A few distinct seats of rows A and B (12 seats each): every buyer competes with many others. */
function pick(random: () => number): Array<{ row: string; number: number }> {
  const count = 1 + Math.floor(random() * 4);
  const chosen = new Map<string, { row: string; number: number }>();
  while (chosen.size < count) {
    const seat = { row: random() < 0.5 ? 'A' : 'B', number: 1 + Math.floor(random() * 12) };
    chosen.set(`${seat.row}${seat.number}`, seat);
  }
  return [...chosen.values()];
}

function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('concurrent buyers over HTTP', () => {
  it('never sell a seat twice, lose none, and every refusal is a CONFLICT', { timeout: 120_000 }, async () => {
    const { eventId } = await createEventWithSeats(t.db, {
      rows: [
        ['A', 12],
        ['B', 12],
      ],
      discounts: [{ minQuantity: 3, percentOff: 10 }],
    });
    const random = seeded(42);
    const statuses: number[] = [];
    const bought: Array<{ token: string; order: { id: string; tickets: Array<{ row: string; number: number; barcode: string }> } }> = [];

    await Promise.all(
      tokens.map(async (token, i) => {
        const seats = pick(random);
        // Half hold first and then buy; the other half buy straight away.
        if (i % 2 === 0) {
          const hold = await callHttp(t, 'tickets.reserve', { input: { eventId, seats }, headers: as(token) });
          statuses.push(hold.status);
          if (hold.status !== 200) {
            expect(hold.body.error.data.code).toBe('CONFLICT');
            return;
          }
        }
        const res = await callHttp(t, 'tickets.purchase', { input: { eventId, seats, idempotencyKey: crypto.randomUUID() }, headers: as(token) });
        statuses.push(res.status);
        if (res.status === 200) bought.push({ token, order: res.body.result.data });
        else if (res.status === 409) {
          expect(Array.isArray(res.body.error.data.unavailable) && res.body.error.data.unavailable.length > 0).toBe(true);
        }
      }),
    );

    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(bought.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);

    // Each seat is in at most one successful order.
    const soldSeats = bought.flatMap((b) => b.order.tickets.map((x) => `${x.row}${x.number}`));
    expect(new Set(soldSeats).size).toBe(soldSeats.length);

    // The database agrees: every SOLD seat has exactly one live ticket of the order that holds it, and no other seat has one.
    const rows = await t.db.prisma.ticket.findMany({
      where: { eventId },
      select: {
        rowName: true,
        seatNumber: true,
        status: true,
        orderId: true,
        issued: { where: { status: { not: 'CANCELLED' } }, select: { orderId: true } },
      },
    });
    expect(rows).toHaveLength(24);
    for (const seat of rows) {
      if (seat.status === 'SOLD') expect(seat.issued).toEqual([{ orderId: seat.orderId }]);
      else expect(seat.issued).toEqual([]);
    }
    expect(
      rows
        .filter((r) => r.status === 'SOLD')
        .map((r) => `${r.rowName}${r.seatNumber}`)
        .sort(),
    ).toEqual([...soldSeats].sort());

    const summary = await callHttp(t, 'inventory.summary', { method: 'GET', input: { eventId } });
    const issued = await t.db.prisma.issuedTicket.count({ where: { eventId, status: 'VALID' } });
    expect(summary.body.result.data.sold).toBe(issued);
    expect(summary.body.result.data.total).toBe(24);
    const { available, reserved, sold } = summary.body.result.data;
    expect(available + reserved + sold).toBe(24);
    expect(await t.db.prisma.order.count({ where: { eventId } })).toBe(bought.length);
  });

  it('racing purchases with one idempotency key make one order', { timeout: 60_000 }, async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const key = crypto.randomUUID();
    const token = tokens[0]!;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        callHttp(t, 'tickets.purchase', {
          input: {
            eventId,
            seats: [
              { row: 'A', number: 7 },
              { row: 'B', number: 7 },
            ],
            idempotencyKey: key,
          },
          headers: as(token),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(new Set(results.map((r) => r.body.result.data.id)).size).toBe(1);
    expect(await t.db.prisma.order.count({ where: { eventId } })).toBe(1);
    expect(await t.db.prisma.issuedTicket.count({ where: { eventId } })).toBe(2);
  });

  it('many buyers reserving the same seat: exactly one gets it, the rest a CONFLICT naming it', { timeout: 60_000 }, async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const results = await Promise.all(
      tokens
        .slice(0, 100)
        .map((token) => callHttp(t, 'tickets.reserve', { input: { eventId, seats: [{ row: 'A', number: 1 }] }, headers: as(token) })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(99);
    for (const r of refused) expect(r.body.error.data).toMatchObject({ code: 'CONFLICT', unavailable: [{ row: 'A', number: 1 }] });
  });

  it(
    '200 buyers across two app instances on one database: no seat sold twice, the summary equals the tickets, every answer 200 or CONFLICT',
    { timeout: 180_000 },
    async () => {
      const second = await startTestApp({ db: t.db, config: { logLevel: 'warn' } });
      try {
        const more = await Promise.all(
          Array.from({ length: 200 - BUYERS }, async () => {
            const user = await createUser(second);
            return (await signIn(second, user.email, user.password)).accessToken;
          }),
        );
        const buyers = [...tokens, ...more];
        const { eventId } = await createEventWithSeats(t.db, {
          rows: [
            ['A', 20],
            ['B', 20],
            ['C', 20],
          ],
        });
        const random = seeded(7);
        const answers = await Promise.all(
          buyers.map(async (token, i) => {
            const instance = i % 2 === 0 ? t : second;
            const row = ['A', 'B', 'C'][Math.floor(random() * 3)]!;
            const first = 1 + Math.floor(random() * 19);
            const seats = [
              { row, number: first },
              { row, number: first + 1 },
            ];
            const res = await callHttp(instance, 'tickets.purchase', {
              input: { eventId, seats, idempotencyKey: crypto.randomUUID() },
              headers: as(token),
            });
            return {
              status: res.status,
              code: res.body.error?.data?.code as string | undefined,
              tickets: (res.body.result?.data?.tickets ?? []) as Array<{ row: string; number: number }>,
            };
          }),
        );
        expect(answers.filter((a) => a.status !== 200 && !(a.status === 409 && a.code === 'CONFLICT'))).toEqual([]);
        const sold = answers.flatMap((a) => a.tickets.map((x) => `${x.row}${x.number}`));
        expect(new Set(sold).size).toBe(sold.length);
        expect(sold.length).toBeGreaterThan(0);
        const summary = (await callHttp(second, 'inventory.summary', { method: 'GET', input: { eventId } })).body.result.data;
        expect(summary.sold).toBe(await t.db.prisma.issuedTicket.count({ where: { eventId, status: 'VALID' } }));
        expect(summary.sold).toBe(sold.length);
      } finally {
        await second.close();
      }
    },
  );

  it('anonymous HTTP calls to user procedures are 401; customers on staff procedures 403', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const anonymous = await callHttp(t, 'tickets.reserve', { input: { eventId, seats: [{ row: 'A', number: 1 }] } });
    expect(anonymous.status).toBe(401);
    const customer = await callHttp(t, 'inventory.generate', {
      input: { eventId, rows: [{ name: 'C', seats: 1, tierId: crypto.randomUUID() }] },
      headers: as(tokens[1]!),
    });
    expect(customer.status).toBe(403);
    const malformed = await callHttp(t, 'inventory.seatMap', { method: 'GET', input: { eventId: 'nope' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.data.fieldErrors).toHaveProperty('eventId');
  });
});
