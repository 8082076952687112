import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, seats } from '../../../test/inventory-fixtures.js';
import { mailsSince } from '../../../test/mail.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { offerWaitingSeats } from '../../services/waitlist/waitlist.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [alice, bob, carol, clerk],
  // The tests run the sweep themselves: the app's own would race them for the offers.
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'CUSTOMER', 'STAFF'], { config: { sweepIntervalSeconds: 3600 } });

const buy = (user: AuthUser, eventId: string, labels: string[]) =>
  callerFor(t.app, user).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID() });
const entryOf = (eventId: string, userId: string) =>
  t.db.prisma.waitingEntry.findFirstOrThrow({ where: { eventId, userId }, orderBy: { createdAt: 'desc' } });
const heldBy = (eventId: string, userId: string) =>
  t.db.prisma.ticket
    .findMany({ where: { eventId, heldById: userId, status: 'RESERVED' }, orderBy: [{ rowName: 'asc' }, { seatNumber: 'asc' }] })
    .then((rows) => rows.map((r) => `${r.rowName}${r.seatNumber}`));

/** Four seats in one row, all sold to Carol in two orders of two. */
async function soldOut() {
  const { eventId } = await createEventWithSeats(t.db, { name: `Sold Out ${crypto.randomUUID().slice(0, 6)}`, rows: [['A', 4]] });
  const first = await buy(carol, eventId, ['A1', 'A2']);
  const second = await buy(carol, eventId, ['A3', 'A4']);
  return { eventId, first, second };
}

describe('waiting list: joining', () => {
  it('a sold-out event takes shoppers in line; joining again keeps the place; free seats are bought instead', async () => {
    const open = await createEventWithSeats(t.db, { rows: [['A', 4]] });
    const refused = await failure(callerFor(t.app, alice).waitlist.join({ eventId: open.eventId, quantity: 2 }));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', '2 seats are free right now: pick them on the seat map.']);

    const { eventId } = await soldOut();
    const a = await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 2 });
    expect(a).toMatchObject({ eventId, quantity: 2, status: 'WAITING', position: 1, offerExpiresAt: null });
    const b = await callerFor(t.app, bob).waitlist.join({ eventId, quantity: 1 });
    expect(b.position).toBe(2);
    expect(await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 5 })).toEqual(a);
    expect(await callerFor(t.app, bob).waitlist.mine({ eventId })).toEqual(b);
    expect(await callerFor(t.app, carol).waitlist.mine({ eventId })).toBeNull();
    expect(await t.db.prisma.waitingEntry.count({ where: { eventId } })).toBe(2);
  });

  it('refuses bad input and anonymous callers; staff alone see and remove entries; nothing changes on a refusal', async () => {
    const { eventId } = await soldOut();
    const other = await createEventWithSeats(t.db);
    const before = await t.db.prisma.waitingEntry.count();
    for (const input of [
      { eventId, quantity: 0 },
      { eventId, quantity: 11 },
      { eventId, quantity: 1.5 },
      { eventId: 'nope', quantity: 1 },
      { eventId, quantity: 1, extra: 1 },
    ]) {
      expect((await failure(callerFor(t.app, alice).waitlist.join(input as never))).code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    expect((await failure(callerFor(t.app, alice).waitlist.join({ eventId, quantity: 1, tierId: other.tiers[0]!.id }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, alice).waitlist.join({ eventId: crypto.randomUUID(), quantity: 1 }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app).waitlist.join({ eventId, quantity: 1 }))).code).toBe('UNAUTHORIZED');
    expect(await t.db.prisma.waitingEntry.count()).toBe(before);

    await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 1 });
    expect((await failure(callerFor(t.app, alice).waitlist.list({ eventId }))).code).toBe('FORBIDDEN');
    const list = await callerFor(t.app, clerk).waitlist.list({ eventId });
    expect(list).toEqual([expect.objectContaining({ quantity: 1, status: 'WAITING', tierName: null })]);
    expect((await failure(callerFor(t.app, alice).waitlist.remove({ id: list[0]!.id }))).code).toBe('FORBIDDEN');
    await callerFor(t.app, clerk).waitlist.remove({ id: list[0]!.id });
    expect(await callerFor(t.app, alice).waitlist.mine({ eventId })).toBeNull();
    expect((await failure(callerFor(t.app, clerk).waitlist.remove({ id: list[0]!.id }))).code).toBe('NOT_FOUND');
    const audit = await t.db.prisma.authEvent.findFirst({ where: { eventId, type: 'waitlist_remove' }, select: { userId: true, actorId: true } });
    expect(audit).toEqual({ userId: alice.id, actorId: clerk.id });
  });
});

describe('waiting list: offers', () => {
  it('seats that come back are held for the next in line, who is mailed and buys them; the rest keep waiting', async () => {
    const { eventId, first } = await soldOut();
    await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 2 });
    await callerFor(t.app, bob).waitlist.join({ eventId, quantity: 2 });
    expect(await offerWaitingSeats(t.app.deps)).toBe(0);

    await callerFor(t.app, carol).orders.cancel({ id: first.id });
    const seen = t.logs.length;
    expect(await offerWaitingSeats(t.app.deps)).toBe(1);
    expect(await heldBy(eventId, alice.id)).toEqual(['A1', 'A2']);
    const offer = await callerFor(t.app, alice).waitlist.mine({ eventId });
    expect(offer).toMatchObject({ status: 'OFFERED', offerExpiresAt: expect.any(String) });
    const minutes = (Date.parse(offer!.offerExpiresAt!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    // Bob is now first among those waiting.
    expect(await callerFor(t.app, bob).waitlist.mine({ eventId })).toMatchObject({ status: 'WAITING', position: 1 });
    // The seats are Alice's for now: Bob cannot buy them.
    expect((await failure(buy(bob, eventId, ['A1', 'A2']))).code).toBe('CONFLICT');

    const mails = (await mailsSince(t, seen)).filter((m) => m.subject.startsWith('Seats for'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.link).toBe(`${t.config.appOrigin}/events/${eventId}`);

    const order = await buy(alice, eventId, ['A1', 'A2']);
    expect(order.status).toBe('PAID');
    expect(await offerWaitingSeats(t.app.deps)).toBe(0);
    expect((await entryOf(eventId, alice.id)).status).toBe('BOUGHT');
    expect(await callerFor(t.app, alice).waitlist.mine({ eventId })).toBeNull();
  });

  it('an offer not bought in time lapses and its seats pass to the next in line', async () => {
    const { eventId, second } = await soldOut();
    await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 2 });
    await callerFor(t.app, bob).waitlist.join({ eventId, quantity: 1 });
    await callerFor(t.app, carol).orders.cancel({ id: second.id });
    expect(await offerWaitingSeats(t.app.deps)).toBe(1);
    expect(await heldBy(eventId, alice.id)).toEqual(['A3', 'A4']);

    // Thirty minutes later (the offer's end and its hold's end, moved into the past).
    const past = new Date(Date.now() - 1000);
    await t.db.prisma.waitingEntry.updateMany({ where: { eventId, userId: alice.id }, data: { offerExpiresAt: past } });
    await t.db.prisma.ticket.updateMany({ where: { eventId, heldById: alice.id }, data: { holdExpiresAt: past } });
    expect(await offerWaitingSeats(t.app.deps)).toBe(1);
    expect((await entryOf(eventId, alice.id)).status).toBe('LAPSED');
    expect((await heldBy(eventId, bob.id)).length).toBe(1);
    expect(await callerFor(t.app, bob).waitlist.mine({ eventId })).toMatchObject({ status: 'OFFERED' });
  });

  it('two sweeps at once (as on two instances) make one offer, never two, for the same seats', async () => {
    for (let round = 0; round < 5; round++) {
      const { eventId, first } = await soldOut();
      await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 2 });
      await callerFor(t.app, bob).waitlist.join({ eventId, quantity: 2 });
      await callerFor(t.app, carol).orders.cancel({ id: first.id });
      const [x, y] = await Promise.all([offerWaitingSeats(t.app.deps), offerWaitingSeats(t.app.deps)]);
      expect(x + y).toBe(1);
      expect(await t.db.prisma.waitingEntry.count({ where: { eventId, status: 'OFFERED' } })).toBe(1);
      expect(await t.db.prisma.ticket.count({ where: { eventId, status: 'RESERVED' } })).toBe(2);
      expect(await heldBy(eventId, alice.id)).toEqual(['A1', 'A2']);
    }
  });

  it('leaving, or staff removing, an offer puts its held seats back on sale', async () => {
    const { eventId, first } = await soldOut();
    await callerFor(t.app, alice).waitlist.join({ eventId, quantity: 2 });
    await callerFor(t.app, carol).orders.cancel({ id: first.id });
    await offerWaitingSeats(t.app.deps);
    expect(await heldBy(eventId, alice.id)).toEqual(['A1', 'A2']);
    await callerFor(t.app, alice).waitlist.leave({ eventId });
    expect(await heldBy(eventId, alice.id)).toEqual([]);
    expect((await entryOf(eventId, alice.id)).status).toBe('LEFT');
    expect((await callerFor(t.app).inventory.summary({ eventId })).available).toBe(2);
  });
});
