import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';

const {
  t,
  users: [buyer, staff],
} = setupTestApp(['CUSTOMER', 'STAFF']);
let concert: string;
let play: string;
let quiet: string;
const zero = { orders: 0, cancelledOrders: 0, ticketsSold: 0, revenueCents: 0, refundedCents: 0, grossCents: 0, discountCents: 0, netCents: 0 };
beforeAll(async () => {
  concert = (
    await createEventWithSeats(t.db, {
      name: 'Concert',
      tiers: [
        { name: 'Floor', priceCents: 10_000, currency: 'USD' },
        { name: 'Balcony', priceCents: 4_000, currency: 'USD' },
      ],
      rows: [
        ['A', 10, 0],
        ['B', 10, 1],
      ],
      discounts: [{ minQuantity: 3, percentOff: 10 }],
    })
  ).eventId;
  play = (await createEventWithSeats(t.db, { name: 'Play', startsAt: new Date(Date.now() + 60 * 86_400_000).toISOString() })).eventId;
  quiet = (
    await createEventWithSeats(t.db, {
      name: 'Quiet Night',
      startsAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      tiers: [{ name: 'Standard', priceCents: 2_000, currency: 'EUR' }],
    })
  ).eventId;
  await createEventWithSeats(t.db, { name: 'Draft Night', status: 'DRAFT', startsAt: new Date(Date.now() + 95 * 86_400_000).toISOString() });
  const buy = (eventId: string, labels: string[]) =>
    callerFor(t.app, buyer).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID() });
  await buy(concert, ['A1', 'A2', 'B1']); // 24,000 - 10% = 21,600
  await buy(concert, ['B2']); // 4,000
  const refunded = await buy(concert, ['A3']); // 10,000, refunded
  await callerFor(t.app, buyer).orders.cancel({ id: refunded.id });
  await buy(play, ['A1', 'A2']); // 10,000
});

describe('admin.sales.report', () => {
  it('gross, discounts, refunds and net by event, tier and day; net = gross - discounts - refunds = the paid totals', async () => {
    const report = await callerFor(t.app, staff).admin.sales.report({});
    // Concert: 24,000 gross with 2,400 off, 4,000 and a refunded 10,000; Play: 10,000.
    expect(report.totals).toEqual({
      orders: 3,
      cancelledOrders: 1,
      ticketsSold: 6,
      revenueCents: 35_600,
      refundedCents: 10_000,
      grossCents: 48_000,
      discountCents: 2_400,
      netCents: 35_600,
      currency: 'USD',
    });
    expect(report.byEvent).toEqual([
      {
        eventId: concert,
        eventName: 'Concert',
        currency: 'USD',
        orders: 2,
        cancelledOrders: 1,
        ticketsSold: 4,
        revenueCents: 25_600,
        refundedCents: 10_000,
        grossCents: 38_000,
        discountCents: 2_400,
        netCents: 25_600,
      },
      {
        eventId: play,
        eventName: 'Play',
        currency: 'USD',
        orders: 1,
        cancelledOrders: 0,
        ticketsSold: 2,
        revenueCents: 10_000,
        refundedCents: 0,
        grossCents: 10_000,
        discountCents: 0,
        netCents: 10_000,
      },
      // Listed with no sales at all (drafts are not).
      { eventId: quiet, eventName: 'Quiet Night', currency: 'EUR', ...zero },
    ]);
    // A ticket's share of its order's discount (and of a refund) is its price's share of the subtotal.
    expect(report.byTier).toEqual([
      {
        eventId: concert,
        eventName: 'Concert',
        tierName: 'Balcony',
        currency: 'USD',
        ticketsSold: 2,
        grossCents: 8_000,
        discountCents: 400,
        netCents: 7_600,
        refundedCents: 0,
      },
      {
        eventId: concert,
        eventName: 'Concert',
        tierName: 'Floor',
        currency: 'USD',
        ticketsSold: 2,
        grossCents: 20_000,
        discountCents: 2_000,
        netCents: 18_000,
        refundedCents: 10_000,
      },
      {
        eventId: play,
        eventName: 'Play',
        tierName: 'Standard',
        currency: 'USD',
        ticketsSold: 2,
        grossCents: 10_000,
        discountCents: 0,
        netCents: 10_000,
        refundedCents: 0,
      },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect(report.byDay).toEqual([
      {
        day: today,
        currency: 'USD',
        orders: 3,
        cancelledOrders: 1,
        ticketsSold: 6,
        revenueCents: 35_600,
        refundedCents: 10_000,
        grossCents: 48_000,
        discountCents: 2_400,
        netCents: 35_600,
      },
    ]);
  });

  it('filters by event and by order time; events without sales in the period still show, with zeros', async () => {
    const one = await callerFor(t.app, staff).admin.sales.report({ eventId: play });
    expect(one.totals).toMatchObject({ orders: 1, revenueCents: 10_000, netCents: 10_000 });
    expect(one.byEvent.map((e) => e.eventId)).toEqual([play]);
    const future = await callerFor(t.app, staff).admin.sales.report({ from: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.totals).toEqual({ ...zero, currency: null });
    expect(future.byDay).toEqual([]);
    expect(future.byTier).toEqual([]);
    expect(future.byEvent.map((e) => [e.eventName, e.orders, e.netCents])).toEqual([
      ['Concert', 0, 0],
      ['Play', 0, 0],
      ['Quiet Night', 0, 0],
    ]);
    const window = await callerFor(t.app, staff).admin.sales.report({
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(window.totals.orders).toBe(3);
  });

  it('is for staff only; bad filters are 400', async () => {
    expect((await failure(callerFor(t.app, buyer).admin.sales.report({}))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).admin.sales.report({}))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app, staff).admin.sales.report({ from: 'yesterday' }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, staff).admin.sales.report({ eventId: 'x' }))).code).toBe('BAD_REQUEST');
    const to = new Date().toISOString();
    expect((await failure(callerFor(t.app, staff).admin.sales.report({ from: to, to }))).code).toBe('BAD_REQUEST');
  });
});
