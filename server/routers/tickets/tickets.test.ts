import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inDays, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';

const {
  t,
  users: [alice, bob, staff],
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'STAFF']);

const key = () => crypto.randomUUID();
const expireHolds = (eventId: string) =>
  t.db.prisma.ticket.updateMany({ where: { eventId, status: 'RESERVED' }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });

describe('tickets.reserve', () => {
  it('holds the seats for the caller for holdMinutes and marks them mine on the seat map only for them', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const before = Date.now();
    const hold = await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A2', 'A1') });
    expect(hold.seats).toEqual(seats('A1', 'A2'));
    expect(hold.holdId).toMatch(/^[0-9a-f-]{36}$/);
    const expires = Date.parse(hold.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 10 * 60_000 - 2000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 2000);

    const mine = await callerFor(t.app, alice).inventory.seatMap({ eventId });
    const theirs = await callerFor(t.app, bob).inventory.seatMap({ eventId });
    const anonymous = await callerFor(t.app).inventory.seatMap({ eventId });
    expect(mine.rows[0]!.seats.slice(0, 3).map((s) => [s.status, s.mine])).toEqual([
      ['RESERVED', true],
      ['RESERVED', true],
      ['AVAILABLE', false],
    ]);
    expect(theirs.rows[0]!.seats.slice(0, 2).map((s) => [s.status, s.mine])).toEqual([
      ['RESERVED', false],
      ['RESERVED', false],
    ]);
    expect(anonymous.rows[0]!.seats[0]).toEqual({ number: 1, status: 'RESERVED', tierId: expect.any(String), mine: false });
    expect(await callerFor(t.app).inventory.summary({ eventId })).toEqual({ total: 20, available: 18, reserved: 2, sold: 0 });
  });

  it('a second buyer cannot reserve a held seat, and gets none of the others either', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A3') });
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A2', 'A3', 'A4') }));
    expect(error.code).toBe('CONFLICT');
    expect(error.data.unavailable).toEqual(seats('A3'));
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('seats the caller already holds stay theirs and move into the new hold with a fresh expiry', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const first = await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('B1', 'B2') });
    const second = await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('B2', 'B3') });
    expect(second.seats).toEqual(seats('B2', 'B3'));
    expect(Date.parse(second.expiresAt)).toBeGreaterThanOrEqual(Date.parse(first.expiresAt));
    const rows = await t.db.prisma.ticket.findMany({
      where: { eventId, rowName: 'B', status: 'RESERVED' },
      select: { seatNumber: true, holdId: true },
    });
    expect(rows.sort((a, b) => a.seatNumber - b.seatNumber)).toEqual([
      { seatNumber: 1, holdId: first.holdId },
      { seatNumber: 2, holdId: second.holdId },
      { seatNumber: 3, holdId: second.holdId },
    ]);
  });

  it('an expired hold is available to anyone at once, before any sweep', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1', 'A2') });
    await expireHolds(eventId);
    expect(await callerFor(t.app).inventory.summary({ eventId })).toEqual({ total: 20, available: 20, reserved: 0, sold: 0 });
    const map = await callerFor(t.app, alice).inventory.seatMap({ eventId });
    expect(map.rows[0]!.seats[0]).toMatchObject({ status: 'AVAILABLE', mine: false });
    const hold = await callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A1') });
    expect(hold.seats).toEqual(seats('A1'));
  });

  it('refuses more than 10 seats held by one user for one event, changing nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8') });
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('B1', 'B2', 'B3') }));
    expect(error.code).toBe('CONFLICT');
    expect(error.data).toMatchObject({ limit: 10, held: 8 });
    expect(await inventorySnapshot(t.db)).toEqual(before);
    // Re-reserving seats already held does not count twice.
    const again = await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1', 'A2', 'B1', 'B2') });
    expect(again.seats).toHaveLength(4);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const before = await inventorySnapshot(t.db);
    const cases: unknown[] = [
      { eventId, seats: [] },
      { eventId, seats: Array.from({ length: 11 }, (_, i) => ({ row: 'A', number: i + 1 })) },
      { eventId, seats: [{ row: 'A', number: 1.5 }] },
      { eventId, seats: [{ row: 'A', number: -1 }] },
      { eventId, seats: [{ row: 'A', number: 0 }] },
      { eventId, seats: [{ row: 'a', number: 1 }] },
      { eventId, seats: [{ row: 'ABCD', number: 1 }] },
      { eventId, seats: seats('A1', 'A1') },
      { eventId: 'not-a-uuid', seats: seats('A1') },
      { eventId: 42, seats: seats('A1') },
    ];
    for (const input of cases) {
      const error = await failure(callerFor(t.app, alice).tickets.reserve(input as never));
      expect(error.code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('unknown events and seats are NOT_FOUND, naming the missing seats; nothing is held', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const before = await inventorySnapshot(t.db);
    expect((await failure(callerFor(t.app, alice).tickets.reserve({ eventId: crypto.randomUUID(), seats: seats('A1') }))).code).toBe('NOT_FOUND');
    const error = await failure(callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1', 'A11', 'Z1') }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.data.missing).toEqual(seats('A11', 'Z1'));
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('cancelled and past events refuse; drafts are invisible to customers but staff may test them', async () => {
    const cancelled = await createEventWithSeats(t.db);
    await callerFor(t.app, staff).events.cancel({ id: cancelled.eventId });
    const draft = await createEventWithSeats(t.db, { status: 'DRAFT' });
    const past = await createEventWithSeats(t.db);
    await t.db.prisma.event.update({ where: { id: past.eventId }, data: { startsAt: new Date(Date.now() - 60_000) } });
    const before = await inventorySnapshot(t.db);
    expect((await failure(callerFor(t.app, alice).tickets.reserve({ eventId: cancelled.eventId, seats: seats('A1') }))).code).toBe('CONFLICT');
    expect((await failure(callerFor(t.app, alice).tickets.reserve({ eventId: draft.eventId, seats: seats('A1') }))).code).toBe('NOT_FOUND');
    const closed = await failure(callerFor(t.app, alice).tickets.reserve({ eventId: past.eventId, seats: seats('A1') }));
    expect(closed).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('started') });
    expect(await inventorySnapshot(t.db)).toEqual(before);
    await expect(callerFor(t.app, staff).tickets.reserve({ eventId: draft.eventId, seats: seats('A1') })).resolves.toMatchObject({
      seats: seats('A1'),
    });
  });

  it('anonymous callers are UNAUTHORIZED', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    expect((await failure(callerFor(t.app).tickets.reserve({ eventId, seats: seats('A1') }))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: key() }))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app).tickets.mine())).code).toBe('UNAUTHORIZED');
  });
});

describe('tickets.release', () => {
  it('releases only the caller’s own holds', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1', 'A2') });
    await callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A3') });
    expect(await callerFor(t.app, bob).tickets.release({ eventId, seats: seats('A1', 'A2', 'A3') })).toEqual({ released: 1 });
    expect(await callerFor(t.app, alice).tickets.release({ eventId, seats: seats('A1', 'A4') })).toEqual({ released: 1 });
    expect(await callerFor(t.app).inventory.summary({ eventId })).toEqual({ total: 20, available: 19, reserved: 1, sold: 0 });
    const a2 = await t.db.prisma.ticket.findUnique({
      where: { eventId_rowName_seatNumber: { eventId, rowName: 'A', seatNumber: 2 } },
      select: { status: true, heldById: true },
    });
    expect(a2).toEqual({ status: 'RESERVED', heldById: alice.id });
  });
});

describe('tickets.purchase', () => {
  it('buys held and available seats as one paid order, priced as pricing.quote prices them', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, {
      tiers: [
        { name: 'Front', priceCents: 12_345, currency: 'EUR' },
        { name: 'Back', priceCents: 4_999, currency: 'EUR' },
      ],
      rows: [
        ['A', 5, 0],
        ['B', 5, 1],
      ],
      discounts: [
        { minQuantity: 2, percentOff: 5 },
        { minQuantity: 3, percentOff: 15 },
        { minQuantity: 6, percentOff: 30 },
      ],
    });
    const buyer = callerFor(t.app, alice);
    await buyer.tickets.reserve({ eventId, seats: seats('A1', 'B1') });
    const wanted = seats('A1', 'B1', 'B2');
    const quote = await callerFor(t.app).pricing.quote({ eventId, seats: wanted });
    expect(quote).toEqual({
      lines: [
        { row: 'A', number: 1, tierName: 'Front', priceCents: 12_345 },
        { row: 'B', number: 1, tierName: 'Back', priceCents: 4_999 },
        { row: 'B', number: 2, tierName: 'Back', priceCents: 4_999 },
      ],
      subtotalCents: 22_343,
      percentOff: 15,
      discountCents: 3_351,
      totalCents: 18_992,
      currency: 'EUR',
      voucher: null,
    });
    const order = await buyer.tickets.purchase({ eventId, seats: wanted, idempotencyKey: key() });
    expect(order).toMatchObject({
      eventId,
      status: 'PAID',
      subtotalCents: quote.subtotalCents,
      discountCents: quote.discountCents,
      totalCents: quote.totalCents,
      currency: 'EUR',
    });
    expect(order.tickets.map((x) => [x.row, x.number, x.tierName, x.priceCents, x.status])).toEqual([
      ['A', 1, 'Front', 12_345, 'VALID'],
      ['B', 1, 'Back', 4_999, 'VALID'],
      ['B', 2, 'Back', 4_999, 'VALID'],
    ]);
    for (const ticket of order.tickets) {
      expect(ticket.barcode).toMatch(/^[A-Z2-7]{32}$/);
      expect(ticket.orderId).toBe(order.id);
    }
    expect(new Set(order.tickets.map((x) => x.barcode)).size).toBe(3);
    expect(await callerFor(t.app).inventory.summary({ eventId })).toEqual({ total: 10, available: 7, reserved: 0, sold: 3 });
    const map = await buyer.inventory.seatMap({ eventId });
    expect(map.rows[0]!.seats[0]).toEqual({ number: 1, status: 'SOLD', tierId: tiers[0]!.id, mine: true });
    const other = await callerFor(t.app, bob).inventory.seatMap({ eventId });
    expect(other.rows[0]!.seats[0]).toMatchObject({ status: 'SOLD', mine: false });
    expect(await buyer.tickets.mine()).toEqual(expect.arrayContaining(order.tickets));
  });

  it('the same idempotency key returns the same order, and a reused key for other seats is refused', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const k = key();
    const first = await callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1', 'A2'), idempotencyKey: k });
    const retry = await callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A2', 'A1'), idempotencyKey: k });
    expect(retry).toEqual(first);
    const before = await inventorySnapshot(t.db);
    const reused = await failure(callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A3'), idempotencyKey: k }));
    expect(reused.code).toBe('CONFLICT');
    expect(await inventorySnapshot(t.db)).toEqual(before);
    // Keys are per user: the same key from someone else is a different purchase.
    const bobs = await callerFor(t.app, bob).tickets.purchase({ eventId, seats: seats('A3'), idempotencyKey: k });
    expect(bobs.id).not.toBe(first.id);
  });

  it('racing purchases with one idempotency key make exactly one order', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const k = key();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('B5', 'B6'), idempotencyKey: k })),
    );
    expect(new Set(results.map((o) => o.id)).size).toBe(1);
    expect(await t.db.prisma.order.count({ where: { eventId } })).toBe(1);
    expect(await t.db.prisma.issuedTicket.count({ where: { eventId } })).toBe(2);
  });

  it('refuses a seat someone else holds or bought; nothing changes', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A1') });
    await callerFor(t.app, bob).tickets.purchase({ eventId, seats: seats('A2'), idempotencyKey: key() });
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1', 'A2', 'A3'), idempotencyKey: key() }));
    expect(error.code).toBe('CONFLICT');
    expect(error.data.unavailable).toEqual(seats('A1', 'A2'));
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('a hold that expired can still be bought by its holder while nobody else took the seat', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1') });
    await expireHolds(eventId);
    const order = await callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: key() });
    expect(order.status).toBe('PAID');
  });

  it('refuses mixed currencies in one order clearly, changing nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db, {
      tiers: [
        { name: 'Dollars', priceCents: 1000, currency: 'USD' },
        { name: 'Euros', priceCents: 1000, currency: 'EUR' },
      ],
      rows: [
        ['A', 2, 0],
        ['B', 2, 1],
      ],
    });
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1', 'B1'), idempotencyKey: key() }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('EUR, USD') });
    expect((await failure(callerFor(t.app).pricing.quote({ eventId, seats: seats('A1', 'B1') }))).code).toBe('BAD_REQUEST');
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('a purchase on a cancelled event is refused, changing nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1') });
    await callerFor(t.app, staff).events.cancel({ id: eventId });
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: key() }));
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('cancelled') });
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('bad purchase input is a 400 and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const before = await inventorySnapshot(t.db);
    const cases: unknown[] = [
      { eventId, seats: seats('A1') },
      { eventId, seats: seats('A1'), idempotencyKey: '' },
      { eventId, seats: seats('A1'), idempotencyKey: 'has spaces' },
      { eventId, seats: seats('A1'), idempotencyKey: 'x'.repeat(101) },
      { eventId, seats: Array.from({ length: 11 }, (_, i) => ({ row: 'A', number: i + 1 })), idempotencyKey: key() },
      { eventId: 'nope', seats: seats('A1'), idempotencyKey: key() },
    ];
    for (const input of cases) {
      expect((await failure(callerFor(t.app, alice).tickets.purchase(input as never))).code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    const unknown = await failure(callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('C1'), idempotencyKey: key() }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('sales close when the event starts', async () => {
    const { eventId } = await createEventWithSeats(t.db, { startsAt: inDays(1) });
    await t.db.prisma.event.update({ where: { id: eventId }, data: { startsAt: new Date(Date.now() - 1000) } });
    expect((await failure(callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: key() }))).code).toBe('CONFLICT');
  });
});
