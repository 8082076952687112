import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';

const {
  t,
  users: [customer, staff],
} = setupTestApp(['CUSTOMER', 'STAFF']);

describe('pricing.setTiers', () => {
  it('creates, updates and deletes tiers to match the list', async () => {
    const event = await callerFor(t.app, staff).events.create({
      name: 'Tiers',
      venue: 'Hall',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const first = await callerFor(t.app, staff).pricing.setTiers({
      eventId: event.id,
      tiers: [
        { name: 'A', priceCents: 100, currency: 'USD' },
        { name: 'B', priceCents: 200, currency: 'USD' },
      ],
    });
    expect(first.map((x) => x.name)).toEqual(['A', 'B']);
    const a = first.find((x) => x.name === 'A')!;
    const second = await callerFor(t.app, staff).pricing.setTiers({
      eventId: event.id,
      tiers: [
        { id: a.id, name: 'A+', priceCents: 300, currency: 'USD' },
        { name: 'C', priceCents: 50, currency: 'EUR' },
      ],
    });
    // In the order they were created: A (now A+) before the new C, whatever their prices.
    expect(second).toEqual([
      { id: a.id, name: 'A+', priceCents: 300, currency: 'USD', hidden: false },
      { id: expect.any(String), name: 'C', priceCents: 50, currency: 'EUR', hidden: false },
    ]);
  });

  it('will not delete a tier that seats use, and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, staff).pricing.setTiers({ eventId, tiers: [{ name: 'Other', priceCents: 1, currency: 'USD' }] }));
    expect(error).toMatchObject({ code: 'CONFLICT', data: { tiersInUse: ['Standard'] } });
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('a price change applies to new sales only; tickets sold keep their price', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db);
    const order = await callerFor(t.app, customer).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: crypto.randomUUID() });
    await callerFor(t.app, staff).pricing.setTiers({ eventId, tiers: [{ ...tiers[0]!, priceCents: 9999 }] });
    expect((await callerFor(t.app, customer).orders.byId({ id: order.id })).tickets[0]!.priceCents).toBe(5000);
    expect((await callerFor(t.app).pricing.quote({ eventId, seats: seats('A2') })).totalCents).toBe(9999);
  });

  it('refuses bad tiers with 400 (negative, fractional, huge prices, bad currency, duplicate names, foreign ids) and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const other = await createEventWithSeats(t.db);
    const before = await inventorySnapshot(t.db);
    const tier = { name: 'T', priceCents: 100, currency: 'USD' };
    const cases: unknown[] = [
      [{ ...tier, priceCents: -1 }],
      [{ ...tier, priceCents: 1.5 }],
      [{ ...tier, priceCents: 10_000_001 }],
      [{ ...tier, currency: 'usd' }],
      [{ ...tier, currency: 'US' }],
      [{ ...tier, name: '' }],
      [{ ...tier, name: 'x'.repeat(61) }],
      [tier, { ...tier, name: 't' }],
      Array.from({ length: 21 }, (_, i) => ({ ...tier, name: `T${i}` })),
      [{ ...tier, id: 'nope' }],
      [{ ...tier, id: other.tiers[0]!.id }],
    ];
    for (const tiers of cases) {
      expect((await failure(callerFor(t.app, staff).pricing.setTiers({ eventId, tiers } as never))).code, JSON.stringify(tiers).slice(0, 80)).toBe(
        'BAD_REQUEST',
      );
    }
    expect((await failure(callerFor(t.app, staff).pricing.setTiers({ eventId: crypto.randomUUID(), tiers: [tier] }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, customer).pricing.setTiers({ eventId, tiers: [tier] }))).code).toBe('FORBIDDEN');
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });
});

describe('pricing.setGroupDiscounts and quote', () => {
  it('the largest matching discount applies; the rules replace the old ones', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const rules = await callerFor(t.app, staff).pricing.setGroupDiscounts({
      eventId,
      rules: [
        { minQuantity: 6, percentOff: 20 },
        { minQuantity: 3, percentOff: 10 },
      ],
    });
    expect(rules).toEqual([
      { minQuantity: 3, percentOff: 10 },
      { minQuantity: 6, percentOff: 20 },
    ]);
    expect((await callerFor(t.app).events.byId({ id: eventId })).groupDiscounts).toEqual(rules);
    const quote = (labels: string[]) => callerFor(t.app).pricing.quote({ eventId, seats: seats(...labels) });
    expect(await quote(['A1', 'A2'])).toMatchObject({ subtotalCents: 10_000, percentOff: 0, discountCents: 0, totalCents: 10_000 });
    expect(await quote(['A1', 'A2', 'A3'])).toMatchObject({ subtotalCents: 15_000, percentOff: 10, discountCents: 1_500, totalCents: 13_500 });
    expect(await quote(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7'])).toMatchObject({ percentOff: 20, totalCents: 28_000 });
    await callerFor(t.app, staff).pricing.setGroupDiscounts({ eventId, rules: [] });
    expect(await quote(['A1', 'A2', 'A3'])).toMatchObject({ percentOff: 0, totalCents: 15_000 });
    expect((await callerFor(t.app).events.byId({ id: eventId })).groupDiscounts).toEqual([]);
  });

  it('a quote ignores availability (a purchase refuses), but unknown seats are NOT_FOUND', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, customer).tickets.reserve({ eventId, seats: seats('A1') });
    expect((await callerFor(t.app).pricing.quote({ eventId, seats: seats('A1') })).totalCents).toBe(5000);
    const error = await failure(callerFor(t.app).pricing.quote({ eventId, seats: seats('A1', 'Q9') }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', data: { missing: seats('Q9') } });
  });

  it('refuses bad rules with 400 and changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db, { discounts: [{ minQuantity: 4, percentOff: 5 }] });
    const before = await inventorySnapshot(t.db);
    const cases: unknown[] = [
      [{ minQuantity: 1, percentOff: 10 }],
      [{ minQuantity: 3, percentOff: 0 }],
      [{ minQuantity: 3, percentOff: 101 }],
      [{ minQuantity: 3.5, percentOff: 10 }],
      [{ minQuantity: -3, percentOff: 10 }],
      [
        { minQuantity: 3, percentOff: 10 },
        { minQuantity: 3, percentOff: 20 },
      ],
    ];
    for (const rules of cases) {
      expect((await failure(callerFor(t.app, staff).pricing.setGroupDiscounts({ eventId, rules } as never))).code).toBe('BAD_REQUEST');
    }
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });
});

describe('replace-all writes that race', () => {
  const settle = async <T>(calls: Array<Promise<T>>) =>
    (await Promise.allSettled(calls)).map((r) => (r.status === 'fulfilled' ? 'OK' : ((r.reason as { code?: string }).code ?? 'THROWN')));

  it('five identical setGroupDiscounts at once all answer, one after the other, and leave exactly those rules', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const rules = [
      { minQuantity: 4, percentOff: 5 },
      { minQuantity: 8, percentOff: 10 },
    ];
    const outcomes = await settle(Array.from({ length: 5 }, () => callerFor(t.app, staff).pricing.setGroupDiscounts({ eventId, rules })));
    expect(outcomes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    const stored = await t.db.prisma.groupDiscount.findMany({
      where: { eventId },
      select: { minQuantity: true, percentOff: true },
      orderBy: { minQuantity: 'asc' },
    });
    expect(stored).toEqual(rules);
  });

  it('different setGroupDiscounts at once: every answer is OK and the last one written wins whole', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const lists = Array.from({ length: 5 }, (_, i) => [
      { minQuantity: 2, percentOff: 5 + i },
      { minQuantity: 6 + i, percentOff: 20 + i },
    ]);
    const outcomes = await settle(lists.map((rules) => callerFor(t.app, staff).pricing.setGroupDiscounts({ eventId, rules })));
    expect(outcomes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    const stored = await t.db.prisma.groupDiscount.findMany({
      where: { eventId },
      select: { minQuantity: true, percentOff: true },
      orderBy: { minQuantity: 'asc' },
    });
    // Never a mix of two calls' rules.
    expect(lists).toContainEqual(stored);
  });

  it('five identical setTiers that add a tier at once all answer, and the event ends with one tier of that name', async () => {
    const { eventId, tiers } = await createEventWithSeats(t.db);
    const input = { eventId, tiers: [...tiers, { name: 'Balcony', priceCents: 1500, currency: 'USD' }] };
    const outcomes = await settle(Array.from({ length: 5 }, () => callerFor(t.app, staff).pricing.setTiers(input)));
    expect(outcomes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    const names = (await t.db.prisma.priceTier.findMany({ where: { eventId }, select: { name: true } })).map((x) => x.name).sort();
    expect(names).toEqual([...tiers.map((x) => x.name), 'Balcony'].sort());
  });
});
