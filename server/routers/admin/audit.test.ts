import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { sentenceText } from '../../../shared/audit.js';
import { callerFor } from '../../../test/app.js';
import { failure, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { authUserFor, createUser, signIn, type TestUser } from '../../../test/users.js';
import type { AuthUser } from '../../trpc/context.js';

const { t } = setupTestApp([]);
let admin: TestUser & AuthUser;
let staff: TestUser & AuthUser;
let buyer: TestUser & AuthUser;

/** The newest audit lines of a type, as the admin reads them. */
async function lines(type: string, extra: Record<string, string> = {}) {
  return (await callerFor(t.app, admin).admin.audit.list({ type, limit: 100, ...extra })).items;
}
const rowCount = () => t.db.prisma.authEvent.count();

const staffName = 'Stan Staff';
beforeAll(async () => {
  const make = async (options: Parameters<typeof createUser>[1]) => {
    const user = await createUser(t, options);
    return { ...user, ...(await authUserFor(t, user.id)) };
  };
  admin = await make({ role: 'ADMIN', name: 'Dana Admin' });
  staff = await make({ role: 'STAFF', staffStatus: 'APPROVED', name: staffName });
  buyer = await make({ name: 'Test User' });
});

describe('business actions in the audit log', () => {
  it('an event created, changed, priced, discounted, given seats, sold, refunded, scanned and cancelled: one line each, who, what, before -> after', async () => {
    const asStaff = callerFor(t.app, staff);
    const event = await asStaff.events.create({ name: 'Audit Gala', venue: 'Hall 1', startsAt: '2031-05-01T19:30:00Z', status: 'ON_SALE' });
    await asStaff.events.update({ id: event.id, name: 'Audit Gala II', venue: 'Hall 1' });
    const tiers = await asStaff.pricing.setTiers({ eventId: event.id, tiers: [{ name: 'Stalls', priceCents: 5_000, currency: 'USD' }] });
    await asStaff.pricing.setTiers({ eventId: event.id, tiers: [{ id: tiers[0]!.id, name: 'Stalls', priceCents: 6_000, currency: 'USD' }] });
    await asStaff.pricing.setGroupDiscounts({ eventId: event.id, rules: [{ minQuantity: 4, percentOff: 10 }] });
    await asStaff.inventory.generate({
      eventId: event.id,
      rows: [
        { name: 'A', seats: 10, tierId: tiers[0]!.id },
        { name: 'B', seats: 10, tierId: tiers[0]!.id },
      ],
    });
    const order = await callerFor(t.app, buyer).tickets.purchase({
      eventId: event.id,
      seats: seats('A1', 'A2'),
      idempotencyKey: crypto.randomUUID(),
    });
    const other = await callerFor(t.app, buyer).tickets.purchase({ eventId: event.id, seats: seats('B1'), idempotencyKey: crypto.randomUUID() });
    expect((await asStaff.checkin.scan({ barcode: order.tickets[0]!.barcode })).result).toBe('OK');
    // A second scan admits nothing and records nothing.
    expect((await asStaff.checkin.scan({ barcode: order.tickets[0]!.barcode })).result).toBe('ALREADY_CHECKED_IN');
    await asStaff.orders.cancel({ id: other.id });
    await asStaff.events.cancel({ id: event.id });

    const [created] = await lines('event_create');
    expect(created).toMatchObject({ userId: staff.id, actorId: null, eventId: event.id, event: { id: event.id, name: 'Audit Gala II' } });
    expect(sentenceText(created!.sentence)).toBe(`${staffName} created the event Audit Gala II`);
    expect(created!.sentence).toContainEqual({ kind: 'event', id: event.id, text: 'Audit Gala II' });
    expect(created!.sentence).toContainEqual({ kind: 'user', id: staff.id, text: staffName });

    const [changed] = await lines('event_update');
    expect(changed!.detail).toEqual({ before: { name: 'Audit Gala' }, after: { name: 'Audit Gala II' } });
    expect(sentenceText(changed!.sentence)).toBe(`${staffName} changed Audit Gala II: name “Audit Gala” → “Audit Gala II”`);

    const prices = await lines('prices_set');
    expect(prices.map((l) => sentenceText(l.sentence))).toEqual([
      `${staffName} set the prices of Audit Gala II: Stalls $50.00 → Stalls $60.00`,
      `${staffName} set the prices of Audit Gala II: none → Stalls $50.00`,
    ]);
    expect(sentenceText((await lines('discounts_set'))[0]!.sentence)).toBe(
      `${staffName} set the group discounts of Audit Gala II: none → 10% off 4+`,
    );
    const [generated] = await lines('seats_generate');
    expect(generated!.detail).toMatchObject({ created: 20, rowCount: 2 });
    expect(sentenceText(generated!.sentence)).toBe(`${staffName} generated 20 seats in 2 rows, A to B for Audit Gala II`);

    const [checkin] = await lines('ticket_checkin');
    expect(checkin).toMatchObject({ userId: buyer.id, actorId: staff.id, orderId: order.id, eventId: event.id });
    expect(sentenceText(checkin!.sentence)).toBe(`${staffName} checked in seat A-1 of order ${order.number} at Audit Gala II`);
    expect(await lines('ticket_checkin')).toHaveLength(1);

    const [refund] = await lines('order_cancel');
    expect(refund).toMatchObject({
      userId: buyer.id,
      actorId: staff.id,
      orderId: other.id,
      detail: { before: { status: 'PAID' }, after: { status: 'CANCELLED' } },
    });
    expect(sentenceText(refund!.sentence)).toBe(`${staffName} cancelled order ${other.number} of Test User for Audit Gala II, $60.00 refunded`);

    const [cancelled] = await lines('event_cancel');
    expect(cancelled!.detail).toMatchObject({ before: { status: 'ON_SALE' }, after: { status: 'CANCELLED' } });
  });

  it('a refused action writes no line (and changes nothing)', async () => {
    const before = await rowCount();
    const asStaff = callerFor(t.app, staff);
    expect((await failure(asStaff.events.update({ id: crypto.randomUUID(), name: 'Nope' }))).code).toBe('NOT_FOUND');
    expect((await failure(asStaff.pricing.setTiers({ eventId: crypto.randomUUID(), tiers: [] }))).code).toBe('NOT_FOUND');
    expect(await rowCount()).toBe(before);
  });

  it('staff approval reads as a sentence naming both people; a logout names its account', async () => {
    const pending = await t.db.prisma.user.create({
      data: {
        email: `pending-${crypto.randomUUID().slice(0, 6)}@example.com`,
        name: 'Pat Pending',
        passwordHash: 'x',
        role: 'STAFF',
        staffStatus: 'PENDING',
      },
    });
    await callerFor(t.app, admin).admin.staff.approve({ userId: pending.id });
    const [approved] = await lines('staff_approve');
    expect(approved).toMatchObject({ userId: pending.id, actorId: admin.id });
    expect(sentenceText(approved!.sentence)).toBe('Dana Admin approved Pat Pending as staff');

    const s = await signIn(t, buyer.email, buyer.password);
    await fetch(`${t.url}/trpc/auth.logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const [logout] = await lines('logout');
    expect(logout!.email).toBe(buyer.email);
  });
});

describe('filters', () => {
  it('by email (as the account or as who acted), by action and by time; bad filters are refused', async () => {
    const byStaff = await callerFor(t.app, admin).admin.audit.list({ email: staff.email.toUpperCase().slice(0, 12), limit: 100 });
    expect(byStaff.items.length).toBeGreaterThan(0);
    for (const line of byStaff.items) expect([line.userId, line.actorId]).toContain(staff.id);
    expect(byStaff.items.some((l) => l.type === 'ticket_checkin' && l.userId === buyer.id)).toBe(true);

    const future = await callerFor(t.app, admin).admin.audit.list({ from: '2099-01-01T00:00:00Z', limit: 10 });
    expect(future.items).toEqual([]);
    const past = await callerFor(t.app, admin).admin.audit.list({ to: '2000-01-01T00:00:00Z', limit: 10 });
    expect(past.items).toEqual([]);
    const now = await callerFor(t.app, admin).admin.audit.list({
      from: new Date(Date.now() - 3_600_000).toISOString(),
      type: 'event_create',
      limit: 10,
    });
    expect(now.items.length).toBeGreaterThan(0);

    expect((await failure(callerFor(t.app, admin).admin.audit.list({ from: 'yesterday', limit: 10 }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, staff).admin.audit.list({ limit: 10 }))).code).toBe('FORBIDDEN');
  });
});

describe('GET /api/admin/audit.csv', () => {
  it('streams the filtered log as CSV with a header and sentences; formula-looking text stays text; 401 and 403 for others', async () => {
    const adminSession = await signIn(t, admin.email, admin.password);
    await callerFor(t.app, staff).events.create({ name: '=HYPERLINK("http://evil")', venue: 'Hall', startsAt: '2031-06-01T19:30:00Z' });
    const res = await fetch(`${t.url}/api/admin/audit.csv?type=event_create`, { headers: { authorization: `Bearer ${adminSession.accessToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tessera-audit-\d{4}-\d\d-\d\d\.csv"$/);
    const records: Array<Record<string, string>> = parse(await res.text(), { columns: true });
    const listed = await lines('event_create');
    expect(records.map((r) => r.time)).toEqual(listed.map((l) => l.createdAt));
    expect(records[0]).toMatchObject({ action: 'event_create', event: `'=HYPERLINK("http://evil")`, by: staff.email, account: staff.email });
    expect(records[0]!.sentence).toBe(`${staffName} created the event =HYPERLINK("http://evil")`);

    expect((await fetch(`${t.url}/api/admin/audit.csv`)).status).toBe(401);
    const staffSession = await signIn(t, staff.email, staff.password);
    expect((await fetch(`${t.url}/api/admin/audit.csv`, { headers: { authorization: `Bearer ${staffSession.accessToken}` } })).status).toBe(403);
    const bad = await fetch(`${t.url}/api/admin/audit.csv?from=soon`, { headers: { authorization: `Bearer ${adminSession.accessToken}` } });
    expect(bad.status).toBe(400);
  });
});
