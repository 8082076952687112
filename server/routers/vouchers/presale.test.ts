import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [alice, bob, clerk],
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'STAFF']);

const api = (user: AuthUser | null) => callerFor(t.app, user);
const buy = (user: AuthUser, eventId: string, labels: string[], code?: string) =>
  api(user).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID(), ...(code ? { code } : {}) });
const reserve = (user: AuthUser, eventId: string, labels: string[], code?: string) =>
  api(user).tickets.reserve({ eventId, seats: seats(...labels), ...(code ? { code } : {}) });

/**
 * Row A Standard at 50.00 (on general sale), row B Presale at 70.00 (hidden), row C Members at
 * 60.00 (hidden); codes: PRESALE unlocks every hidden tier, MEMBERS only Members, SAVE10 is a plain
 * 10% code that unlocks nothing.
 */
async function presaleEvent() {
  const { eventId, tiers } = await createEventWithSeats(t.db, {
    tiers: [
      { name: 'Standard', priceCents: 5000, currency: 'USD' },
      { name: 'Presale', priceCents: 7000, currency: 'USD' },
      { name: 'Members', priceCents: 6000, currency: 'USD' },
    ],
    rows: [
      ['A', 4, 0],
      ['B', 4, 1],
      ['C', 4, 2],
    ],
  });
  const [standard, presale, members] = tiers as [(typeof tiers)[number], (typeof tiers)[number], (typeof tiers)[number]];
  await api(clerk).pricing.setTiers({
    eventId,
    tiers: [
      { id: standard.id, name: 'Standard', priceCents: 5000, currency: 'USD' },
      { id: presale.id, name: 'Presale', priceCents: 7000, currency: 'USD', hidden: true },
      { id: members.id, name: 'Members', priceCents: 6000, currency: 'USD', hidden: true },
    ],
  });
  const v = api(clerk).vouchers;
  await v.create({ eventId, code: 'PRESALE', kind: 'percent', value: 0, unlocksHidden: true });
  await v.create({ eventId, code: 'MEMBERS', kind: 'percent', value: 10, unlocksHidden: true, tierIds: [members.id] });
  await v.create({ eventId, code: 'SAVE10', kind: 'percent', value: 10 });
  return { eventId, standard, presale, members };
}

describe('presale: hidden tiers opened by a code', () => {
  it('hidden seats show on the map under their tier, and cannot be held or bought without a code that unlocks them', async () => {
    const { eventId, presale, members } = await presaleEvent();
    const map = await api(null).inventory.seatMap({ eventId });
    expect(map.tiers.map((x) => [x.name, x.hidden])).toEqual([
      ['Standard', false],
      ['Presale', true],
      ['Members', true],
    ]);
    expect(map.rows.find((r) => r.name === 'B')!.seats.every((s) => s.status === 'AVAILABLE' && s.tierId === presale.id)).toBe(true);
    expect((await api(null).events.byId({ id: eventId })).tiers.filter((x) => x.hidden).map((x) => x.id)).toEqual([presale.id, members.id]);

    const before = await inventorySnapshot(t.db);
    const locked = await failure(reserve(alice, eventId, ['A1', 'B1']));
    expect(locked).toMatchObject({ code: 'CONFLICT', data: { locked: seats('B1') } });
    expect(locked.message).toMatch(/presale/);
    expect(await failure(buy(alice, eventId, ['B1']))).toMatchObject({ code: 'CONFLICT', data: { locked: seats('B1') } });
    // A code that unlocks nothing, or other tiers only, or none at all: still locked.
    expect(await failure(reserve(alice, eventId, ['B1'], 'SAVE10'))).toMatchObject({ data: { locked: seats('B1') } });
    expect(await failure(reserve(alice, eventId, ['B1', 'C1'], 'MEMBERS'))).toMatchObject({ data: { locked: seats('B1') } });
    expect(await failure(buy(alice, eventId, ['B1'], 'NOSUCHCODE'))).toMatchObject({ code: 'CONFLICT' });
    expect(await inventorySnapshot(t.db)).toEqual(before);

    // Best available never picks them: only row A is on general sale.
    const best = await api(bob).tickets.reserveBest({ eventId, quantity: 4 });
    expect(best.seats).toEqual(seats('A1', 'A2', 'A3', 'A4'));
    expect(await failure(api(bob).tickets.reserveBest({ eventId, quantity: 1 }))).toMatchObject({ code: 'CONFLICT' });
    // Only presale seats are left: for everyone else the event is sold out, so they may queue.
    expect(await api(alice).waitlist.join({ eventId, quantity: 1 })).toMatchObject({ status: 'WAITING', position: 1 });
  });

  it('a code that unlocks: the map learns which tiers, the seats are held and bought with it, and its use is counted', async () => {
    const { eventId, presale, members } = await presaleEvent();
    expect(await api(null).vouchers.unlock({ eventId, code: ' presale ' })).toEqual({ code: 'PRESALE', tierIds: [presale.id, members.id] });
    expect(await api(alice).vouchers.unlock({ eventId, code: 'members' })).toEqual({ code: 'MEMBERS', tierIds: [members.id] });
    // The one constant answer for a code that unlocks nothing, whether or not it exists.
    const save = await failure(api(alice).vouchers.unlock({ eventId, code: 'SAVE10' }));
    const none = await failure(api(alice).vouchers.unlock({ eventId, code: 'NOSUCHCODE' }));
    expect(save).toEqual(none);
    expect(none).toMatchObject({ code: 'CONFLICT', message: 'This code is not valid for this event.' });

    const hold = await reserve(alice, eventId, ['B1', 'B2'], 'presale');
    expect(hold.seats).toEqual(seats('B1', 'B2'));
    // The held seats are bought with the code (its 0% replaces any group discount).
    const order = await buy(alice, eventId, ['B1', 'B2'], 'PRESALE');
    expect(order).toMatchObject({ status: 'PAID', voucherCode: 'PRESALE', subtotalCents: 14000, discountCents: 0, totalCents: 14000 });
    // MEMBERS opens Members seats and takes its 10% off them.
    expect(await buy(bob, eventId, ['C1'], 'MEMBERS')).toMatchObject({ totalCents: 5400, voucherCode: 'MEMBERS' });
    const uses = await t.db.prisma.voucher.findMany({ where: { eventId, code: { in: ['PRESALE', 'MEMBERS'] } }, orderBy: { code: 'asc' } });
    expect(uses.map((u) => [u.code, u.uses])).toEqual([
      ['MEMBERS', 1],
      ['PRESALE', 1],
    ]);

    // Switched off: it opens nothing any more.
    const pre = uses.find((u) => u.code === 'PRESALE')!;
    await api(clerk).vouchers.setActive({ id: pre.id, active: false });
    expect(await failure(reserve(bob, eventId, ['B3'], 'PRESALE'))).toMatchObject({ code: 'CONFLICT', data: { locked: seats('B3') } });
  });

  it('staff selling at the box office need no code; a tier made public again is open to all', async () => {
    const { eventId, standard, presale, members } = await presaleEvent();
    expect((await buy(clerk, eventId, ['B4'])).status).toBe('PAID');
    await api(clerk).pricing.setTiers({
      eventId,
      tiers: [
        { id: standard.id, name: 'Standard', priceCents: 5000, currency: 'USD' },
        { id: presale.id, name: 'Presale', priceCents: 7000, currency: 'USD' },
        { id: members.id, name: 'Members', priceCents: 6000, currency: 'USD', hidden: true },
      ],
    });
    expect((await reserve(alice, eventId, ['B1'])).seats).toEqual(seats('B1'));
    expect(await failure(reserve(alice, eventId, ['C1']))).toMatchObject({ code: 'CONFLICT' });
  });

  it('a code that takes nothing off must be a presale code', async () => {
    const { eventId } = await presaleEvent();
    const refused = await failure(api(clerk).vouchers.create({ eventId, code: 'NOTHING', kind: 'percent', value: 0 }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', data: { fieldErrors: { value: ['A percentage from 1 to 100.'] } } });
    expect((await api(clerk).vouchers.list({ eventId })).map((v) => [v.code, v.unlocksHidden]).sort()).toEqual([
      ['MEMBERS', true],
      ['PRESALE', true],
      ['SAVE10', false],
    ]);
  });
});
