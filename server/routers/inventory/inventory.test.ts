import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { rowName } from '../../../shared/seats.js';

const {
  t,
  users: [customer, staff],
} = setupTestApp(['CUSTOMER', 'STAFF'], { config: { holdMinutes: 7.5 } });

const seatCount = (eventId: string) => t.db.prisma.ticket.count({ where: { eventId } });

describe('inventory.generate', () => {
  it('creates rows of seats, numbered from firstNumber', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, { rows: [] });
    const tierId = tiers[0]!.id;
    const result = await callerFor(t.app, staff).inventory.generate({
      eventId,
      rows: [
        { name: 'A', seats: 3, tierId },
        { name: 'A', seats: 2, tierId, firstNumber: 10 },
        { name: 'BB', seats: 1, tierId, firstNumber: 7 },
      ],
    });
    expect(result).toEqual({ created: 6 });
    const rows = await t.db.prisma.ticket.findMany({ where: { eventId }, select: { rowName: true, seatNumber: true, status: true } });
    expect(rows.map((r) => `${r.rowName}${r.seatNumber}:${r.status}`).sort()).toEqual(
      ['A1', 'A2', 'A3', 'A10', 'A11', 'BB7'].map((s) => `${s}:AVAILABLE`).sort(),
    );
  });

  it('creates 100,000 seats in one call', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, { rows: [] });
    const rows = Array.from({ length: 200 }, (_, i) => ({
      name: rowName(i),
      seats: 500,
      tierId: tiers[0]!.id,
    }));
    expect(await callerFor(t.app, staff).inventory.generate({ eventId, rows })).toEqual({ created: 100_000 });
    expect(await seatCount(eventId)).toBe(100_000);
    // Keep the later "nothing changed" snapshots of this file small.
    await t.db.prisma.ticket.deleteMany({ where: { eventId } });
  });

  it('a clash with existing seats is CONFLICT naming the rows, and nothing at all is created', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, {
      rows: [
        ['A', 10],
        ['C', 5],
      ],
    });
    const tierId = tiers[0]!.id;
    const before = await inventorySnapshot(t.db);
    const error = await failure(
      callerFor(t.app, staff).inventory.generate({
        eventId,
        rows: [
          { name: 'B', seats: 10, tierId },
          { name: 'A', seats: 5, tierId, firstNumber: 8 },
          { name: 'C', seats: 1, tierId, firstNumber: 5 },
          { name: 'D', seats: 3, tierId },
        ],
      }),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', data: { clashingRows: ['A', 'C'] } });
    expect(error.message).toContain('A, C');
    expect(await inventorySnapshot(t.db)).toEqual(before);
    // Right after an existing range is fine.
    await expect(callerFor(t.app, staff).inventory.generate({ eventId, rows: [{ name: 'A', seats: 5, tierId, firstNumber: 11 }] })).resolves.toEqual({
      created: 5,
    });
  });

  it('refuses bad input with 400 and creates nothing', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, { rows: [] });
    const other = await createEventWithSeats(t.db, { rows: [] });
    const tierId = tiers[0]!.id;
    const before = await inventorySnapshot(t.db);
    const cases: Array<[unknown, string]> = [
      [[{ name: 'A', seats: 0, tierId }], 'rows.0.seats'],
      [[{ name: 'A', seats: -5, tierId }], 'rows.0.seats'],
      [[{ name: 'A', seats: 2.5, tierId }], 'rows.0.seats'],
      [[{ name: 'A', seats: 100_001, tierId }], 'rows.0.seats'],
      [[{ name: 'a', seats: 1, tierId }], 'rows.0.name'],
      [[{ name: 'ABCD', seats: 1, tierId }], 'rows.0.name'],
      [[{ name: 'A1', seats: 1, tierId }], 'rows.0.name'],
      [[{ name: 'A', seats: 1, tierId, firstNumber: 0 }], 'rows.0.firstNumber'],
      [[{ name: 'A', seats: 10, tierId, firstNumber: 99_995 }], 'rows.0.seats'],
      [[{ name: 'A', seats: 1, tierId: 'x' }], 'rows.0.tierId'],
      [[{ name: 'A', seats: 1, tierId: other.tiers[0]!.id }], 'rows.0.tierId'],
      [[{ name: 'A', seats: 1, tierId: crypto.randomUUID() }], 'rows.0.tierId'],
      [
        [
          { name: 'A', seats: 60_000, tierId },
          { name: 'B', seats: 60_000, tierId },
        ],
        'rows',
      ],
      [
        [
          { name: 'A', seats: 5, tierId },
          { name: 'A', seats: 5, tierId, firstNumber: 3 },
        ],
        'rows.1.name',
      ],
      [[], 'rows'],
    ];
    for (const [rows, field] of cases) {
      const error = await failure(callerFor(t.app, staff).inventory.generate({ eventId, rows } as never));
      expect(error.code, field).toBe('BAD_REQUEST');
      expect(Object.keys(error.data.fieldErrors as object), field).toContain(field);
    }
    expect(
      (await failure(callerFor(t.app, staff).inventory.generate({ eventId: crypto.randomUUID(), rows: [{ name: 'A', seats: 1, tierId }] }))).code,
    ).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, customer).inventory.generate({ eventId, rows: [{ name: 'A', seats: 1, tierId }] }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });
});

describe('inventory.seatMap', () => {
  it('lists rows in natural order (A..Z, AA, AB) and seats by number, with tiers and holdMinutes', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, {
      tiers: [
        { name: 'Stalls', priceCents: 3000, currency: 'USD' },
        { name: 'Circle', priceCents: 2000, currency: 'USD' },
      ],
      rows: [
        ['AB', 2, 1],
        ['B', 3, 0],
        ['AA', 1, 1],
        ['Z', 1, 0],
        ['A', 12, 0],
      ],
    });
    const map = await callerFor(t.app).inventory.seatMap({ eventId });
    expect(map.eventId).toBe(eventId);
    expect(map.holdMinutes).toBe(7.5);
    // In the order they were created, like events.byId.
    expect(map.tiers.map((x) => x.name)).toEqual(['Stalls', 'Circle']);
    expect(map.rows.map((r) => r.name)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
    expect(map.rows[0]!.seats.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(map.rows[3]!.seats).toEqual([{ number: 1, status: 'AVAILABLE', tierId: tiers[1]!.id, mine: false }]);
    expect(map.rows[1]!.seats[0]!.tierId).toBe(tiers[0]!.id);
  });

  it('never says who holds or owns a seat', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const order = await callerFor(t.app, customer).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: crypto.randomUUID() });
    const hold = await callerFor(t.app, customer).tickets.reserve({ eventId, seats: seats('A2') });
    const text = JSON.stringify(await callerFor(t.app, staff).inventory.seatMap({ eventId }));
    for (const secret of [customer.id, order.id, hold.holdId]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/heldBy|orderId|holdId|userId/);
  });

  it('a draft is NOT_FOUND for customers; unknown and malformed ids are 404 and 400', async () => {
    const { eventId } = await createEventWithSeats(t.db, { status: 'DRAFT' });
    expect((await failure(callerFor(t.app, customer).inventory.seatMap({ eventId }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, customer).inventory.summary({ eventId }))).code).toBe('NOT_FOUND');
    expect((await callerFor(t.app, staff).inventory.seatMap({ eventId })).rows).toHaveLength(2);
    expect((await failure(callerFor(t.app).inventory.seatMap({ eventId: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app).inventory.seatMap({ eventId: 'A1' }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app).inventory.summary({ eventId: '' }))).code).toBe('BAD_REQUEST');
  });

  it('an event without seats has an empty map', async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [] });
    expect((await callerFor(t.app).inventory.seatMap({ eventId })).rows).toEqual([]);
    expect(await callerFor(t.app).inventory.summary({ eventId })).toEqual({ total: 0, available: 0, reserved: 0, sold: 0 });
  });
});
