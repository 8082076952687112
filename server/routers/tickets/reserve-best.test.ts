import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { callHttp, createUser, signIn } from '../../../test/users.js';

const {
  t,
  users: [alice, bob],
} = setupTestApp(['CUSTOMER', 'CUSTOMER']);

const threeTiers = {
  tiers: [
    { name: 'Front', priceCents: 9000, currency: 'USD' },
    { name: 'Stalls', priceCents: 5000, currency: 'USD' },
    { name: 'Balcony', priceCents: 2500, currency: 'USD' },
  ],
  rows: [
    ['A', 10, 0],
    ['B', 10, 1],
    ['C', 10, 1],
    ['D', 10, 2],
  ] as Array<[string, number, number]>,
};

describe('tickets.reserveBest', () => {
  it('holds the block nearest the centre of the stage: front row, centre seats', async () => {
    const { eventId } = await createEventWithSeats(t.db, threeTiers);
    const two = await callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 2 });
    expect(two.seats).toEqual(seats('A5', 'A6'));
    const held = await t.db.prisma.ticket.findMany({
      where: { eventId, status: 'RESERVED' },
      select: { rowName: true, seatNumber: true, heldById: true, holdId: true },
    });
    expect(held.map((s) => [s.rowName + s.seatNumber, s.heldById, s.holdId]).sort()).toEqual([
      ['A5', alice.id, two.holdId],
      ['A6', alice.id, two.holdId],
    ]);
    // Three more: A2-A4 and A7-A9 sit 2.5 pitches off the centre line in row 1 (2.69 away); B4-B6 sits
    // half a pitch off it in row 2 (2.06 away), and of blocks equally far the lower numbers win.
    const three = await callerFor(t.app, bob).tickets.reserveBest({ eventId, quantity: 3 });
    expect(three.seats).toEqual(seats('B4', 'B5', 'B6'));
  });

  it('goes round seats that are taken and moves back a row when the front row is further', async () => {
    const { eventId } = await createEventWithSeats(t.db, threeTiers);
    await callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A5') });
    // A6-A7 (centre 1 pitch off the line, row 1) beats B5-B6 (on the line, row 2): sqrt(1+1) < 2.
    expect((await callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 2 })).seats).toEqual(seats('A6', 'A7'));
    // Six together: A has 4 free on the left (A1-A4) and 3 on the right (A8-A10); B is whole.
    expect((await callerFor(t.app, bob).tickets.reserveBest({ eventId, quantity: 6 })).seats).toEqual(seats('B3', 'B4', 'B5', 'B6', 'B7', 'B8'));
  });

  it('keeps to the chosen tier or price range', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, threeTiers);
    const balcony = tiers.find((x) => x.name === 'Balcony')!;
    expect((await callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 2, tierId: balcony.id })).seats).toEqual(seats('D5', 'D6'));
    expect((await callerFor(t.app, bob).tickets.reserveBest({ eventId, quantity: 4, minPriceCents: 3000, maxPriceCents: 6000 })).seats).toEqual(
      seats('B4', 'B5', 'B6', 'B7'),
    );
  });

  it('treats a gap in the numbering as an aisle and never mixes currencies in a block', async () => {
    const { eventId } = await createEventWithSeats(t.db, {
      tiers: [
        { name: 'Dollars', priceCents: 5000, currency: 'USD' },
        { name: 'Euros', priceCents: 5000, currency: 'EUR' },
      ],
      rows: [['A', 4, 0]],
    });
    const euroTier = (await t.db.prisma.priceTier.findFirstOrThrow({ where: { eventId, currency: 'EUR' } })).id;
    // Row A: 1-4 in dollars, then 6-7 in euros past an aisle (no seat 5), then 8-9 in dollars.
    await t.db.prisma.ticket.createMany({
      data: [6, 7].map((n) => ({ eventId, rowName: 'A', seatNumber: n, tierId: euroTier })),
    });
    const dollarTier = (await t.db.prisma.priceTier.findFirstOrThrow({ where: { eventId, currency: 'USD' } })).id;
    await t.db.prisma.ticket.createMany({ data: [8, 9].map((n) => ({ eventId, rowName: 'A', seatNumber: n, tierId: dollarTier })) });
    const error = await failure(callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 5 }));
    expect(error.code).toBe('CONFLICT');
    expect((await callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 3 })).seats).toEqual(seats('A2', 'A3', 'A4'));
  });

  it('answers CONFLICT NO_ADJACENT_SEATS when no block is free, and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [['A', 5]] });
    await callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A3') });
    const before = await inventorySnapshot(t.db);
    const res = await failure(callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 3 }));
    expect(res.code).toBe('CONFLICT');
    expect(res.message).toMatch(/No 3 seats side by side are free/);
    expect(res.data).toMatchObject({ quantity: 3 });
    expect(await inventorySnapshot(t.db)).toEqual(before);
    // Two together still exist on either side.
    expect((await callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 2 })).seats).toEqual(seats('A1', 'A2'));
  });

  it('refuses bad input, an unknown tier and the hold limit clearly, and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const other = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8') });
    const before = await inventorySnapshot(t.db);
    const as = callerFor(t.app, alice).tickets;
    for (const [input, code] of [
      [{ eventId, quantity: 0 }, 'BAD_REQUEST'],
      [{ eventId, quantity: 11 }, 'BAD_REQUEST'],
      [{ eventId, quantity: 1.5 }, 'BAD_REQUEST'],
      [{ eventId, quantity: 2, minPriceCents: 5000, maxPriceCents: 4000 }, 'BAD_REQUEST'],
      [{ eventId, quantity: 2, minPriceCents: -1 }, 'BAD_REQUEST'],
      [{ eventId, quantity: 2, tierId: other.tiers[0]!.id }, 'NOT_FOUND'],
      [{ eventId: '00000000-0000-4000-8000-000000000000', quantity: 2 }, 'NOT_FOUND'],
      [{ eventId, quantity: 3 }, 'CONFLICT'],
    ] as const) {
      const error = await failure(as.reserveBest(input));
      expect([input, error.code]).toEqual([input, code]);
    }
    const limit = await failure(as.reserveBest({ eventId, quantity: 3 }));
    expect(limit.data).toMatchObject({ limit: 10, held: 8 });
    expect(await inventorySnapshot(t.db)).toEqual(before);
    const anonymous = await callHttp(t, 'tickets.reserveBest', { input: { eventId, quantity: 2 } });
    expect(anonymous.status).toBe(401);
  });

  it(
    '50 shoppers asking for 4 seats each at once over HTTP: no seat held twice, no 500, every refusal a CONFLICT',
    { timeout: 120_000 },
    async () => {
      const SHOPPERS = 50;
      // 3 rows of 40: room for at most 30 blocks of 4, so some shoppers must be refused.
      const { eventId } = await createEventWithSeats(t.db, {
        rows: [
          ['A', 40],
          ['B', 40],
          ['C', 40],
        ],
      });
      const tokens: string[] = [];
      for (let i = 0; i < SHOPPERS; i += 10) {
        tokens.push(
          ...(await Promise.all(
            Array.from({ length: 10 }, async () => {
              const user = await createUser(t);
              return (await signIn(t, user.email, user.password)).accessToken;
            }),
          )),
        );
      }
      const results = await Promise.all(
        tokens.map((token) => callHttp(t, 'tickets.reserveBest', { input: { eventId, quantity: 4 }, headers: { authorization: `Bearer ${token}` } })),
      );
      expect(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => [r.status, r.body])).toEqual([]);
      const refused = results.filter((r) => r.status === 409);
      for (const r of refused) expect(r.body.error.data.reason).toBe('NO_ADJACENT_SEATS');
      const holds = results
        .filter((r) => r.status === 200)
        .map((r) => r.body.result.data as { holdId: string; seats: Array<{ row: string; number: number }> });
      for (const hold of holds) {
        expect(hold.seats).toHaveLength(4);
        expect(new Set(hold.seats.map((s) => s.row)).size).toBe(1);
        expect(hold.seats.map((s) => s.number - hold.seats[0]!.number)).toEqual([0, 1, 2, 3]);
      }
      const keys = holds.flatMap((h) => h.seats.map((s) => `${s.row}${s.number}`));
      expect(new Set(keys).size).toBe(keys.length);
      // The database agrees, seat for seat and hold for hold.
      const reserved = await t.db.prisma.ticket.findMany({
        where: { eventId, status: 'RESERVED' },
        select: { rowName: true, seatNumber: true, holdId: true },
      });
      expect(reserved.map((s) => `${s.rowName}${s.seatNumber}`).sort()).toEqual([...keys].sort());
      expect(new Set(reserved.map((s) => s.holdId)).size).toBe(holds.length);
      // Blocks are packed from the centre out, so nearly all the room is used before anyone is refused.
      // A refusal is honest: once anyone was refused, no row has 4 free seats side by side left.
      expect(holds.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      const free = await t.db.prisma.ticket.findMany({ where: { eventId, status: 'AVAILABLE' }, select: { rowName: true, seatNumber: true } });
      const freeKeys = new Set(free.map((s) => `${s.rowName}${s.seatNumber}`));
      const blocksLeft = free.filter((s) => [1, 2, 3].every((d) => freeKeys.has(`${s.rowName}${s.seatNumber + d}`)));
      expect(blocksLeft).toEqual([]);
      expect(refused.length).toBe(SHOPPERS - holds.length);
    },
  );
});
