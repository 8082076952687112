import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerFor } from '../../test/app.js';
import { createEventWithSeats, seats } from '../../test/inventory-fixtures.js';
import { mailsSince } from '../../test/mail.js';
import { setupTestApp } from '../../test/setup-app.js';
import { authUserFor, createUser, signIn, type TestUser } from '../../test/users.js';
import type { AuthUser } from '../trpc/context.js';

const { t } = setupTestApp([]);
let staff: TestUser & AuthUser;
let buyer: TestUser & AuthUser;
let customer: TestUser;
let staffToken: string;
let eventId: string;
let orders: Array<{ id: string; number: string; tickets: Array<{ barcode: string }> }>;

async function csv(path: string, token: string | null = staffToken) {
  const res = await fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { res, text, records: res.ok ? parse<Record<string, string>>(text, { columns: true }) : [] };
}

beforeAll(async () => {
  const make = async (options: Parameters<typeof createUser>[1]) => {
    const user = await createUser(t, options);
    return { ...user, ...(await authUserFor(t, user.id)) };
  };
  staff = await make({ role: 'STAFF', staffStatus: 'APPROVED', name: 'Stan Staff' });
  buyer = await make({ name: '=cmd|calc' });
  customer = await createUser(t);
  staffToken = (await signIn(t, staff.email, staff.password)).accessToken;
  eventId = (
    await createEventWithSeats(t.db, {
      name: 'Export Night',
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
  const buy = (labels: string[]) =>
    callerFor(t.app, buyer).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID() });
  orders = [await buy(['A1', 'A2', 'B1']), await buy(['B2']), await buy(['A3'])];
  await callerFor(t.app, staff).orders.cancel({ id: orders[2]!.id });
  await callerFor(t.app, staff).checkin.scan({ barcode: orders[0]!.tickets[0]!.barcode });
});

describe('staff CSV exports', () => {
  it('orders.csv: every order newest first, with buyer, seats and money in currency units; text a spreadsheet would run stays text', async () => {
    const { res, records } = await csv(`/api/staff/orders.csv?eventId=${eventId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tessera-orders-\d{4}-\d\d-\d\d\.csv"$/);
    expect(records.map((r) => r.order)).toEqual([orders[2]!.number, orders[1]!.number, orders[0]!.number]);
    expect(records[2]).toEqual({
      order: orders[0]!.number,
      placed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      event: 'Export Night',
      buyer_name: "'=cmd|calc",
      buyer_email: buyer.email,
      status: 'paid',
      tickets: '3',
      seats: 'A1 A2 B1',
      subtotal: '240.00',
      discount: '24.00',
      total: '216.00',
      currency: 'USD',
      cancelled_at: '',
    });
    expect(records[0]).toMatchObject({ status: 'cancelled', seats: 'A3', total: '100.00', cancelled_at: expect.stringMatching(/T/) });
  });

  it('attendees.csv: one line per ticket of the event with name, email, seat and barcode status; an event must be named', async () => {
    const { res, records } = await csv(`/api/staff/attendees.csv?eventId=${eventId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="tessera-attendees-export-night-\d{4}-\d\d-\d\d\.csv"/);
    expect(records.map((r) => `${r.row}${r.seat} ${r.status}`).sort()).toEqual(['A1 checked in', 'A2 valid', 'A3 cancelled', 'B1 valid', 'B2 valid']);
    expect(records.find((r) => r.row === 'B' && r.seat === '1')).toMatchObject({
      name: "'=cmd|calc",
      email: buyer.email,
      order: orders[0]!.number,
      tier: 'Balcony',
      price: '40.00',
      currency: 'USD',
      checked_in_at: '',
    });
    expect(records.find((r) => r.row === 'A' && r.seat === '1')!.checked_in_at).toMatch(/^\d{4}-/);

    const none = await csv('/api/staff/attendees.csv');
    expect(none.res.status).toBe(400);
    expect(JSON.parse(none.text).error.message).toBe('Choose an event: attendees are listed per event.');
    expect((await csv(`/api/staff/attendees.csv?eventId=${crypto.randomUUID()}`)).res.status).toBe(404);
  });

  it('report.csv: the sales report line by line, net = gross - discounts - refunds', async () => {
    const { res, records } = await csv(`/api/staff/report.csv?eventId=${eventId}`);
    expect(res.status).toBe(200);
    expect(records[0]).toEqual({
      section: 'total',
      name: 'All events',
      currency: 'USD',
      orders: '2',
      cancelled_orders: '1',
      tickets: '4',
      gross: '380.00',
      discounts: '24.00',
      refunds: '100.00',
      net: '256.00',
    });
    expect(records.map((r) => r.section)).toEqual(['total', 'event', 'day', 'tier', 'tier']);
    expect(records.filter((r) => r.section === 'tier').map((r) => [r.name, r.net])).toEqual([
      ['Export Night: Balcony', '76.00'],
      ['Export Night: Floor', '180.00'],
    ]);
    expect((await csv('/api/staff/report.csv?from=soon')).res.status).toBe(400);
  });

  it('401 without a token, 403 for a customer', async () => {
    for (const path of ['/api/staff/orders.csv', `/api/staff/attendees.csv?eventId=${eventId}`, '/api/staff/report.csv']) {
      expect((await csv(path, null)).res.status).toBe(401);
      const customerToken = (await signIn(t, customer.email, customer.password)).accessToken;
      const refused = await csv(path, customerToken);
      expect(refused.res.status).toBe(403);
      expect(refused.text).not.toContain(buyer.email);
    }
  });

  it('attendees.csv names whoever holds a ticket now: a ticket passed on lists its new holder', async () => {
    const passed = (await createEventWithSeats(t.db, { name: 'Passed Night' })).eventId;
    const order = await callerFor(t.app, buyer).tickets.purchase({ eventId: passed, seats: seats('A1', 'A2'), idempotencyKey: crypto.randomUUID() });
    const seen = t.logs.length;
    await callerFor(t.app, buyer).tickets.transfer({ barcode: order.tickets[0]!.barcode, email: customer.email });
    const link = (await mailsSince(t, seen)).find((m) => m.to === customer.email)!.link!;
    await callerFor(t.app, await authUserFor(t, customer.id)).tickets.claimTransfer({ token: new URL(link).searchParams.get('token')! });
    const { records } = await csv(`/api/staff/attendees.csv?eventId=${passed}`);
    expect(records.map((r) => [`${r.row}${r.seat}`, r.email]).sort()).toEqual([
      ['A1', customer.email],
      ['A2', buyer.email],
    ]);
  });
});
