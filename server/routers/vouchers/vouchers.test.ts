import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inDays, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { createUser, signIn } from '../../../test/users.js';
import type { PaymentMethod } from '../../../shared/orders.js';
import { expireUnpaidOrders } from '../../services/orders/expire-orders.js';
import { CODE_ATTEMPTS } from '../../services/vouchers/code-attempts.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [alice, bob, clerk],
  // The lapsing test expires an order itself: the app's own sweep would race it.
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'STAFF'], { config: { sweepIntervalSeconds: 3600 } });

const as = (user: AuthUser) => ({ id: user.id, role: user.role, staffStatus: user.staffStatus, sessionId: crypto.randomUUID() }) as AuthUser;
const buy = (user: AuthUser, eventId: string, labels: string[], code?: string, paymentMethod?: PaymentMethod) =>
  callerFor(t.app, user).tickets.purchase({
    eventId,
    seats: seats(...labels),
    idempotencyKey: crypto.randomUUID(),
    ...(code ? { code } : {}),
    ...(paymentMethod ? { paymentMethod } : {}),
  });
const quote = (user: AuthUser | null, eventId: string, labels: string[], code?: string) =>
  callerFor(t.app, user).pricing.quote({ eventId, seats: seats(...labels), ...(code ? { code } : {}) });
const vouchers = () => callerFor(t.app, clerk).vouchers;
const usesOf = async (eventId: string, code: string) =>
  (await t.db.prisma.voucher.findUniqueOrThrow({ where: { eventId_code: { eventId, code } }, select: { uses: true } })).uses;

/** Two tiers: row A Front at 80.00, row B Back at 40.00 (10 seats each); 10% off from 4 seats. */
async function twoTierEvent(options: { paymentMethods?: PaymentMethod[] } = {}) {
  return createEventWithSeats(t.db, {
    tiers: [
      { name: 'Front', priceCents: 8000, currency: 'USD' },
      { name: 'Back', priceCents: 4000, currency: 'USD' },
    ],
    rows: [
      ['A', 10, 0],
      ['B', 10, 1],
    ],
    discounts: [{ minQuantity: 4, percentOff: 10 }],
    ...options,
  });
}

describe('vouchers: what a code takes off', () => {
  it('a percent code replaces the group discount; the quote and the order agree; the use is counted', async () => {
    const { eventId } = await twoTierEvent();
    const made = await vouchers().create({ eventId, code: 'spring25', kind: 'percent', value: 25, note: 'Newsletter' });
    expect(made).toMatchObject({ code: 'SPRING25', kind: 'percent', value: 25, uses: 0, active: true, tierIds: [], maxUses: null });

    // Four seats: the group discount would be 10%; the code's 25% replaces it (never both).
    const plain = await quote(alice, eventId, ['B1', 'B2', 'B3', 'B4']);
    expect(plain).toMatchObject({ percentOff: 10, discountCents: 1600, voucher: null });
    const priced = await quote(alice, eventId, ['B1', 'B2', 'B3', 'B4'], '  Spring25 ');
    expect(priced).toMatchObject({
      subtotalCents: 16000,
      percentOff: 0,
      discountCents: 4000,
      totalCents: 12000,
      voucher: { code: 'SPRING25', kind: 'percent', value: 25 },
    });

    const order = await buy(alice, eventId, ['B1', 'B2', 'B3', 'B4'], 'spring25');
    expect(order).toMatchObject({ subtotalCents: 16000, discountCents: 4000, totalCents: 12000, voucherCode: 'SPRING25', status: 'PAID' });
    expect(await callerFor(t.app, alice).orders.byId({ id: order.id })).toEqual(order);
    expect(await usesOf(eventId, 'SPRING25')).toBe(1);
    expect((await vouchers().list({ eventId })).map((v) => [v.code, v.uses])).toEqual([['SPRING25', 1]]);
  });

  it('an amount off the order (never more than the seats cost), a fixed price per ticket, and codes for some tiers only', async () => {
    const { eventId, tiers } = await twoTierEvent();
    const [front, back] = tiers;
    await vouchers().create({ eventId, code: 'TENOFF', kind: 'amount', value: 1000 });
    await vouchers().create({ eventId, code: 'HUGEOFF', kind: 'amount', value: 1_000_000 });
    await vouchers().create({ eventId, code: 'FRONT30', kind: 'price', value: 3000, tierIds: [front!.id] });
    await vouchers().create({ eventId, code: 'BACKHALF', kind: 'percent', value: 50, tierIds: [back!.id] });

    const cases: Array<[string, string[], number]> = [
      ['TENOFF', ['A1', 'B1'], 1000],
      ['HUGEOFF', ['B2'], 4000], // capped at what the seats cost: the order is free, not negative
      ['FRONT30', ['A2', 'A3', 'B3'], 2 * (8000 - 3000)], // row B is not Front: full price
      ['BACKHALF', ['A4', 'B4', 'B5'], 4000], // half of the two Back seats
    ];
    for (const [code, labels, discount] of cases) {
      const q = await quote(alice, eventId, labels, code);
      expect(q.discountCents, code).toBe(discount);
      const order = await buy(alice, eventId, labels, code);
      expect([order.discountCents, order.totalCents], code).toEqual([q.discountCents, q.totalCents]);
      expect(order.totalCents, code).toBeGreaterThanOrEqual(0);
    }
    // A price code that is dearer than the seat never raises it.
    await vouchers().create({ eventId, code: 'DEARER', kind: 'price', value: 9000 });
    expect((await quote(alice, eventId, ['B6'], 'DEARER')).discountCents).toBe(0);

    // A code for Front only, on Back seats only: it does not apply, and nothing is bought.
    const before = await inventorySnapshot(t.db);
    const refused = await failure(buy(alice, eventId, ['B7'], 'FRONT30'));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', 'This code does not apply to these seats.']);
    expect((await failure(quote(alice, eventId, ['B7'], 'FRONT30'))).message).toBe('This code does not apply to these seats.');
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect(await usesOf(eventId, 'FRONT30')).toBe(1);
  });
});

describe('vouchers: when a code may be used', () => {
  it('unknown, switched off, not yet valid and expired codes get one and the same answer, and nothing changes', async () => {
    const { eventId } = await twoTierEvent();
    const other = await twoTierEvent();
    await vouchers().create({ eventId, code: 'LATER', kind: 'percent', value: 10, validFrom: inDays(2) });
    await vouchers().create({ eventId, code: 'GONE', kind: 'percent', value: 10, validFrom: inDays(-3), validUntil: inDays(-1) });
    const off = await vouchers().create({ eventId, code: 'OFFNOW', kind: 'percent', value: 10 });
    await vouchers().setActive({ id: off.id, active: false });
    await vouchers().create({ eventId: other.eventId, code: 'ELSEWHERE', kind: 'percent', value: 10 });
    const before = await inventorySnapshot(t.db);
    for (const code of ['NOSUCHCODE', 'LATER', 'GONE', 'OFFNOW', 'ELSEWHERE']) {
      const q = await failure(quote(bob, eventId, ['A1'], code));
      const p = await failure(buy(bob, eventId, ['A1'], code));
      expect([q.code, q.message, p.code, p.message], code).toEqual([
        'CONFLICT',
        'This code is not valid for this event.',
        'CONFLICT',
        'This code is not valid for this event.',
      ]);
    }
    expect(await inventorySnapshot(t.db)).toEqual(before);
    // Switched on again, it works.
    await vouchers().setActive({ id: off.id, active: true });
    expect((await buy(bob, eventId, ['A1'], 'OFFNOW')).voucherCode).toBe('OFFNOW');
  });

  it('a code with 10 uses and 100 buyers racing for it: exactly 10 orders use it, the others get a clear CONFLICT', async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [['R', 110]] });
    await vouchers().create({ eventId, code: 'FIRST10', kind: 'percent', value: 50, maxUses: 10 });
    const buyers = await Promise.all(Array.from({ length: 100 }, () => createUser(t)));
    const results = await Promise.allSettled(
      buyers.map((b, i) => buy(as({ id: b.id, role: 'CUSTOMER', staffStatus: 'NONE', sessionId: '' }), eventId, [`R${i + 1}`], 'FIRST10')),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(10);
    expect(new Set(lost.map((r) => `${(r.reason as { code: string }).code}: ${(r.reason as Error).message}`))).toEqual(
      new Set(['CONFLICT: This code has been used as many times as it may be.']),
    );
    expect(await usesOf(eventId, 'FIRST10')).toBe(10);
    expect(await t.db.prisma.order.count({ where: { eventId, voucherCode: 'FIRST10' } })).toBe(10);
    // The losers bought nothing: only the winners' seats are sold.
    expect((await callerFor(t.app).inventory.summary({ eventId })).sold).toBe(10);
    // Used up, the quote says so too.
    expect((await failure(quote(alice, eventId, ['R110'], 'FIRST10'))).message).toBe('This code has been used as many times as it may be.');
  });

  it('once per customer: a second order is refused; cancelling the first gives the use back', async () => {
    const { eventId } = await twoTierEvent();
    await vouchers().create({ eventId, code: 'ONCEEACH', kind: 'amount', value: 500, maxUsesPerUser: 1 });
    const first = await buy(alice, eventId, ['A1'], 'ONCEEACH');
    const before = await inventorySnapshot(t.db);
    const again = await failure(buy(alice, eventId, ['A2'], 'ONCEEACH'));
    expect([again.code, again.message]).toEqual(['CONFLICT', 'You have already used this code once, the most it allows.']);
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect(await usesOf(eventId, 'ONCEEACH')).toBe(1);
    // Someone else may.
    expect((await buy(bob, eventId, ['A3'], 'ONCEEACH')).discountCents).toBe(500);
    await callerFor(t.app, alice).orders.cancel({ id: first.id });
    expect(await usesOf(eventId, 'ONCEEACH')).toBe(1);
    expect((await buy(alice, eventId, ['A2'], 'ONCEEACH')).voucherCode).toBe('ONCEEACH');
    expect(await usesOf(eventId, 'ONCEEACH')).toBe(2);
  });

  it('a pay-later order that lapses unpaid gives its use back', async () => {
    const { eventId } = await twoTierEvent({ paymentMethods: ['instant', 'box_office'] });
    await vouchers().create({ eventId, code: 'LASTONE', kind: 'percent', value: 10, maxUses: 1 });
    const order = await buy(alice, eventId, ['A5'], 'LASTONE', 'box_office');
    expect(order).toMatchObject({ status: 'PENDING', voucherCode: 'LASTONE' });
    expect((await failure(buy(bob, eventId, ['A6'], 'LASTONE'))).message).toBe('This code has been used as many times as it may be.');
    await t.db.prisma.order.update({ where: { id: order.id }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    expect(await expireUnpaidOrders(t.app.deps)).toBe(1);
    expect(await usesOf(eventId, 'LASTONE')).toBe(0);
    expect((await buy(bob, eventId, ['A6'], 'LASTONE')).voucherCode).toBe('LASTONE');
  });

  it('a retry with the same key returns the order without counting the code again; another code with the key is refused', async () => {
    const { eventId } = await twoTierEvent();
    await vouchers().create({ eventId, code: 'RETRYME', kind: 'percent', value: 20 });
    await vouchers().create({ eventId, code: 'OTHER', kind: 'percent', value: 20 });
    const key = crypto.randomUUID();
    const input = { eventId, seats: seats('B9'), idempotencyKey: key, code: 'RETRYME' };
    const [a, b] = await Promise.all([callerFor(t.app, alice).tickets.purchase(input), callerFor(t.app, alice).tickets.purchase(input)]);
    expect(a).toEqual(b);
    expect(await usesOf(eventId, 'RETRYME')).toBe(1);
    expect((await failure(callerFor(t.app, alice).tickets.purchase({ ...input, code: 'OTHER' }))).code).toBe('CONFLICT');
    expect(await usesOf(eventId, 'OTHER')).toBe(0);
  });

  it('guessing is limited: 20 wrong codes in ten minutes, then TOO_MANY_REQUESTS; a right code does not count', async () => {
    const { eventId } = await twoTierEvent();
    await vouchers().create({ eventId, code: 'REALONE', kind: 'percent', value: 10 });
    const guesser = await createUser(t);
    const who = as({ id: guesser.id, role: 'CUSTOMER', staffStatus: 'NONE', sessionId: '' });
    for (let i = 0; i < CODE_ATTEMPTS.max; i++) {
      if (i % 5 === 0) expect((await quote(who, eventId, ['A9'], 'REALONE')).voucher?.code).toBe('REALONE');
      expect((await failure(quote(who, eventId, ['A9'], `GUESS${i}`))).code).toBe('CONFLICT');
    }
    const limited = await failure(quote(who, eventId, ['A9'], 'GUESS99'));
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.data.retryAfterSeconds).toBeGreaterThan(0);
    // The limit is the caller's: the right code is refused too while it lasts, and others are not held back.
    expect((await failure(quote(who, eventId, ['A9'], 'REALONE'))).code).toBe('TOO_MANY_REQUESTS');
    expect((await quote(bob, eventId, ['A9'], 'REALONE')).voucher?.code).toBe('REALONE');
    // Without a code nothing is counted.
    expect((await quote(who, eventId, ['A9'])).voucher).toBeNull();
  });
});

describe('vouchers: staff', () => {
  it('generates 1,000 single-use codes at once, and exports them as CSV', async () => {
    const { eventId } = await twoTierEvent();
    const made = await vouchers().generate({ eventId, count: 1000, prefix: 'gala', kind: 'percent', value: 15 });
    expect(made.created).toBe(1000);
    expect(new Set(made.codes).size).toBe(1000);
    expect(made.codes.every((c) => /^GALA-[0-9A-HJKMNP-TV-Z]{8}$/.test(c))).toBe(true);
    const rows = await t.db.prisma.voucher.findMany({ where: { eventId }, select: { maxUses: true } });
    expect(rows).toHaveLength(1000);
    expect(rows.every((r) => r.maxUses === 1)).toBe(true);
    expect((await buy(alice, eventId, ['A1'], made.codes[0]!.toLowerCase())).voucherCode).toBe(made.codes[0]);
    expect((await failure(buy(bob, eventId, ['A2'], made.codes[0]))).message).toBe('This code has been used as many times as it may be.');

    const staffUser = await createUser(t, { role: 'STAFF', staffStatus: 'APPROVED' });
    const customer = await createUser(t);
    const get = async (email: string | null, password?: string) => {
      const token = email ? (await signIn(t, email, password!)).accessToken : null;
      return fetch(`${t.url}/api/staff/vouchers.csv?eventId=${eventId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    };
    const csv = await get(staffUser.email, staffUser.password);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('code,kind,value,tiers,valid_from,valid_until,max_uses,max_uses_per_customer,uses,active,unlocks_presale,note,created_at');
    expect(lines).toHaveLength(1001);
    expect(lines.some((l) => l.startsWith(`${made.codes[0]},percent,15,all,,,1,,1,yes,`))).toBe(true);
    expect((await get(null)).status).toBe(401);
    expect((await get(customer.email, customer.password)).status).toBe(403);
  });

  it('refuses bad codes and rules with clear errors, customers with 403, and creates nothing', async () => {
    const { eventId } = await twoTierEvent();
    const other = await twoTierEvent();
    await vouchers().create({ eventId, code: 'TAKEN', kind: 'percent', value: 5 });
    const count = await t.db.prisma.voucher.count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ code: 'AB', kind: 'percent', value: 10 }, 'BAD_REQUEST'],
      [{ code: 'has space', kind: 'percent', value: 10 }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'percent', value: 0 }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'percent', value: 101 }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'amount', value: 0 }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'gift', value: 10 }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'percent', value: 10, validFrom: inDays(2), validUntil: inDays(1) }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'percent', value: 10, maxUses: 0 }, 'BAD_REQUEST'],
      [{ code: 'OK-CODE', kind: 'percent', value: 10, tierIds: [other.tiers[0]!.id] }, 'NOT_FOUND'],
      [{ code: 'taken', kind: 'percent', value: 10 }, 'CONFLICT'],
    ];
    for (const [input, code] of cases) {
      expect((await failure(vouchers().create({ eventId, ...input } as never))).code, JSON.stringify(input)).toBe(code);
    }
    expect((await failure(vouchers().create({ eventId: crypto.randomUUID(), code: 'NOEVENT', kind: 'percent', value: 5 }))).code).toBe('NOT_FOUND');
    expect((await failure(vouchers().generate({ eventId, count: 1001, kind: 'percent', value: 5 }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, alice).vouchers.create({ eventId, code: 'MINE', kind: 'percent', value: 90 }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app, alice).vouchers.list({ eventId }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).vouchers.list({ eventId }))).code).toBe('UNAUTHORIZED');
    expect(await t.db.prisma.voucher.count()).toBe(count);
    const audit = await t.db.prisma.authEvent.findFirst({ where: { eventId, type: 'voucher_create' }, select: { userId: true, detail: true } });
    // A staff member's own action: they are its subject.
    expect(audit).toMatchObject({ userId: clerk.id, detail: { code: 'TAKEN', kind: 'percent', value: 5 } });
  });
});
