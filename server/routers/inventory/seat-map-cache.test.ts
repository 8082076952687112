import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { callHttp, signIn, createUser as createAccount } from '../../../test/users.js';
import { expandSeatMap } from '../../../shared/seat-map.js';
import { createSeatMaps } from '../../services/inventory/seat-map.js';
import { reserveSeats } from '../../services/tickets/reserve-seats.js';

/**
 * The shared seat-map cache must never serve a stale map: every kind of change moves its version,
 * and a hold that simply runs out (no write at all) does too.
 */
const {
  t,
  users: [customer, other, staff],
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'STAFF'], { config: { holdMinutes: 10 } });

/** The map as the cache answers it, and as a fresh read from the database answers it. */
async function both(eventId: string, viewerId: string | null = null) {
  const request = { eventId, viewerId, staff: false, holdMinutes: 10 };
  const cached = await t.app.deps.seatMaps.full(t.app.deps, request);
  const fresh = await createSeatMaps().full(t.app.deps, request);
  return { cached, fresh };
}

async function expectCurrent(eventId: string, viewerId: string | null = null) {
  const { cached, fresh } = await both(eventId, viewerId);
  expect(cached.map).toEqual(fresh.map);
  expect(cached.version).toBe(fresh.version);
  return cached;
}

const statusOf = (map: { rows: Array<{ name: string; seats: Array<{ number: number; status: string; mine: boolean }> }> }, label: string) => {
  const [seat] = seats(label);
  return map.rows.find((r) => r.name === seat!.row)!.seats.find((s) => s.number === seat!.number)!;
};

describe('the shared seat-map cache', () => {
  it('follows every change: reserve, release, purchase, cancel, tiers, status, new seats', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db, {
      rows: [
        ['A', 6],
        ['B', 6],
      ],
    });
    const versions = new Set<string>();
    const note = async (viewer: string | null = null) => versions.add((await expectCurrent(eventId, viewer)).version);
    await note();

    const asCustomer = callerFor(t.app, customer);
    await asCustomer.tickets.reserve({ eventId, seats: seats('A1', 'A2') });
    await note();
    expect(statusOf((await expectCurrent(eventId)).map, 'A1').status).toBe('RESERVED');
    expect(statusOf((await expectCurrent(eventId, customer.id)).map, 'A1').mine).toBe(true);

    await asCustomer.tickets.release({ eventId, seats: seats('A2') });
    await note();
    const order = await asCustomer.tickets.purchase({ eventId, seats: seats('A1', 'B3'), idempotencyKey: crypto.randomUUID() });
    await note();
    expect(statusOf((await expectCurrent(eventId)).map, 'B3').status).toBe('SOLD');
    await asCustomer.orders.cancel({ id: order.id });
    await note();

    const asStaff = callerFor(t.app, staff);
    await asStaff.pricing.setTiers({ eventId, tiers: [{ ...tiers[0]!, name: 'Renamed', priceCents: 1234 }] });
    await note();
    expect((await expectCurrent(eventId)).map.tiers[0]).toMatchObject({ name: 'Renamed', priceCents: 1234 });
    await asStaff.inventory.generate({ eventId, rows: [{ name: 'C', seats: 2, tierId: tiers[0]!.id }] });
    await note();
    await asStaff.events.cancel({ id: eventId });
    await note();
    expect([...versions]).toHaveLength(8);
  });

  it('a hold that runs out shows as available at once, though nothing was written', async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [['A', 4]] });
    // A hold of under a second.
    await reserveSeats(t.app.deps, { userId: other.id, eventId, seats: seats('A4'), holdMinutes: 0.01, staff: false });
    const held = await expectCurrent(eventId);
    expect(statusOf(held.map, 'A4').status).toBe('RESERVED');
    await new Promise((r) => setTimeout(r, 800));
    const after = await expectCurrent(eventId);
    expect(statusOf(after.map, 'A4').status).toBe('AVAILABLE');
    expect(after.version).not.toBe(held.version);
  });

  it('the compact form spells out to exactly the full form, for anyone and for the owner of seats', async () => {
    const { eventId } = await createEventWithSeats(t.db, {
      rows: [
        ['A', 5],
        ['B', 3],
      ],
    });
    await callerFor(t.app, staff).inventory.generate({
      eventId,
      rows: [{ name: 'C', seats: 2, tierId: (await t.db.prisma.priceTier.findFirstOrThrow({ where: { eventId } })).id, firstNumber: 7 }],
    });
    await t.db.prisma.ticket.deleteMany({ where: { eventId, rowName: 'A', seatNumber: 3 } });
    await callerFor(t.app, customer).tickets.reserve({ eventId, seats: seats('B2') });
    for (const viewer of [null, customer]) {
      const caller = callerFor(t.app, viewer);
      const compact = await caller.inventory.seatMapCompact({ eventId });
      expect(expandSeatMap(compact)).toEqual(await caller.inventory.seatMap({ eventId }));
      expect(compact.rows.map((r) => [r.name, r.first, r.numbers ?? null])).toEqual([
        ['A', null, [1, 2, 4, 5]],
        ['B', 1, null],
        ['C', 7, null],
      ]);
      expect(compact.mine).toEqual(viewer ? seats('B2') : []);
    }
  });
});

describe('seat maps over HTTP', () => {
  it('answer with an ETag; an unchanged map answers 304, a changed one in full', async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [['A', 10]] });
    const url = (procedure: string) => `${t.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ eventId }))}`;
    for (const procedure of ['inventory.seatMap', 'inventory.seatMapCompact']) {
      const first = await fetch(url(procedure));
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^W\/"seatmap-[\d.]+-anon"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      expect(first.headers.get('vary')).toMatch(/authorization, cookie/);
      const again = await fetch(url(procedure), { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');

      await callerFor(t.app, other).tickets.reserve({ eventId, seats: seats(procedure === 'inventory.seatMap' ? 'A1' : 'A2') });
      const changed = await fetch(url(procedure), { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    }
  });

  it("one viewer's ETag never answers another viewer: their own seats differ", async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [['A', 10]] });
    const account = await createAccount(t);
    const { accessToken } = await signIn(t, account.email, account.password);
    await callHttp(t, 'tickets.reserve', { input: { eventId, seats: seats('A5') }, headers: { authorization: `Bearer ${accessToken}` } });
    const url = `${t.url}/trpc/inventory.seatMapCompact?input=${encodeURIComponent(JSON.stringify({ eventId }))}`;
    const anonymous = await fetch(url);
    const anonEtag = anonymous.headers.get('etag')!;
    const mine = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, 'if-none-match': anonEtag } });
    expect(mine.status).toBe(200);
    expect((await mine.json()).result.data.mine).toEqual(seats('A5'));
    expect(mine.headers.get('etag')).not.toBe(anonEtag);
  });

  it('a draft event is not found for the public, with or without an ETag', async () => {
    const { eventId } = await createEventWithSeats(t.db, { status: 'DRAFT', rows: [['A', 2]] });
    const url = `${t.url}/trpc/inventory.seatMap?input=${encodeURIComponent(JSON.stringify({ eventId }))}`;
    expect((await fetch(url, { headers: { 'if-none-match': 'W/"seatmap-0.0-anon"' } })).status).toBe(404);
  });
});
