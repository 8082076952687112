import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [alice, bob, staff],
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'ADMIN']);

const buy = (user: AuthUser, eventId: string, labels: string[], idempotencyKey = crypto.randomUUID()) =>
  callerFor(t.app, user).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey });

/** Orders made within one millisecond tie on createdAt; the id breaks the tie. */
const newestFirst = (orders: Array<{ id: string; createdAt: string }>) =>
  [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1)).map((o) => o.id);

describe('orders.mine and orders.byId', () => {
  it('a buyer sees their own orders, newest first, and nobody else’s', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const first = await buy(alice, eventId, ['A1']);
    const second = await buy(alice, eventId, ['A2', 'A3']);
    await buy(bob, eventId, ['A4']);
    const mine = await callerFor(t.app, alice).orders.mine();
    expect(mine.map((o) => o.id)).toEqual(newestFirst([first, second]));
    expect(mine.every((o) => o.tickets.every((x) => x.orderId === o.id))).toBe(true);
    expect(mine.find((o) => o.id === second.id)).toEqual(second);
  });

  it('user B asking for user A’s order gets NOT_FOUND; staff see it', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const order = await buy(alice, eventId, ['B1']);
    expect(await callerFor(t.app, alice).orders.byId({ id: order.id })).toEqual(order);
    expect((await failure(callerFor(t.app, bob).orders.byId({ id: order.id }))).code).toBe('NOT_FOUND');
    expect(await callerFor(t.app, staff).orders.byId({ id: order.id })).toEqual(order);
    expect((await failure(callerFor(t.app, alice).orders.byId({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, alice).orders.byId({ id: 'order-1' }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app).orders.byId({ id: order.id }))).code).toBe('UNAUTHORIZED');
  });
});

describe('orders.cancel', () => {
  it('puts the seats back on sale and cancels the tickets; a retry with the same key returns the cancelled order', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const key = crypto.randomUUID();
    const order = await buy(alice, eventId, ['A1', 'A2'], key);
    const cancelled = await callerFor(t.app, alice).orders.cancel({ id: order.id });
    expect(cancelled).toMatchObject({ id: order.id, status: 'CANCELLED', cancelledAt: expect.any(String), totalCents: order.totalCents });
    expect(cancelled.tickets.map((x) => x.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await callerFor(t.app).inventory.summary({ eventId })).toEqual({ total: 20, available: 20, reserved: 0, sold: 0 });
    expect(await callerFor(t.app, alice).orders.cancel({ id: order.id })).toEqual(cancelled);
    expect(await buy(alice, eventId, ['A1', 'A2'], key)).toEqual(cancelled);
    const again = await buy(bob, eventId, ['A1']);
    expect(again.status).toBe('PAID');
  });

  it('someone else’s order is NOT_FOUND and stays as it is', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const order = await buy(alice, eventId, ['A5']);
    const before = await inventorySnapshot(t.db);
    expect((await failure(callerFor(t.app, bob).orders.cancel({ id: order.id }))).code).toBe('NOT_FOUND');
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('a customer cannot cancel once the event started or a ticket was scanned; staff can', async () => {
    const started = await createEventWithSeats(t.db);
    const late = await buy(alice, started.eventId, ['A1']);
    await t.db.prisma.event.update({ where: { id: started.eventId }, data: { startsAt: new Date(Date.now() - 1000) } });
    const scannedEvent = await createEventWithSeats(t.db);
    const scanned = await buy(alice, scannedEvent.eventId, ['A1', 'A2']);
    await callerFor(t.app, staff).checkin.scan({ barcode: scanned.tickets[0]!.barcode });
    const before = await inventorySnapshot(t.db);
    expect((await failure(callerFor(t.app, alice).orders.cancel({ id: late.id }))).code).toBe('CONFLICT');
    expect((await failure(callerFor(t.app, alice).orders.cancel({ id: scanned.id }))).code).toBe('CONFLICT');
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect((await callerFor(t.app, staff).orders.cancel({ id: late.id })).status).toBe('CANCELLED');
  });
});

describe('orders.list', () => {
  it('staff page through all orders, newest first, filtered by event or buyer', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const made = [];
    for (const label of ['A1', 'A2', 'A3', 'A4', 'A5']) made.push(await buy(label === 'A3' ? bob : alice, eventId, [label]));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await callerFor(t.app, staff).orders.list({ eventId, limit: 2, cursor });
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(newestFirst(made));
    const bobs = await callerFor(t.app, staff).orders.list({ eventId, userId: bob.id });
    expect(bobs.items.map((o) => o.id)).toEqual([made[2]!.id]);
    expect(bobs.nextCursor).toBeNull();
  });

  it('is staff only; bad filters are 400', async () => {
    expect((await failure(callerFor(t.app, alice).orders.list({}))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app, staff).orders.list({ eventId: 'x' }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, staff).orders.list({ limit: 1000 }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, staff).orders.list({ cursor: 'nope' }))).code).toBe('BAD_REQUEST');
  });
});
