import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inDays, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [customer, staff, admin, pendingStaff],
} = setupTestApp(['CUSTOMER', 'STAFF', 'ADMIN', ['STAFF', 'PENDING']]);

const token = () => `zq${crypto.randomBytes(4).toString('hex')}`;

describe('events.create / update / cancel', () => {
  it('staff create a draft event with no seats yet', async () => {
    const startsAt = inDays(10);
    const event = await callerFor(t.app, staff).events.create({ name: '  Jazz Night ', venue: 'Blue Room', startsAt });
    expect(event).toEqual({
      id: expect.any(String),
      name: 'Jazz Night',
      description: '',
      venue: 'Blue Room',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: null,
      imageUrl: null,
      timeZone: 'Europe/London', // the installation's TIME_ZONE in the test config
      status: 'DRAFT',
      minPriceCents: null,
      currency: null,
      seats: { total: 0, available: 0, reserved: 0, sold: 0 },
      // Paid at once unless staff offer paying later.
      paymentMethods: ['instant'],
      payLaterDays: 3,
      transfersAllowed: true,
    });
    const row = await t.db.prisma.event.findUnique({ where: { id: event.id }, select: { createdById: true } });
    expect(row?.createdById).toBe(staff.id);
  });

  it('customers and unapproved staff are FORBIDDEN, anonymous callers UNAUTHORIZED; nothing is created', async () => {
    const input = { name: 'Nope', venue: 'Nowhere', startsAt: inDays(5) };
    const before = await t.db.prisma.event.count();
    expect((await failure(callerFor(t.app, customer).events.create(input))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app, pendingStaff).events.create(input))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).events.create(input))).code).toBe('UNAUTHORIZED');
    expect(await t.db.prisma.event.count()).toBe(before);
  });

  it('refuses invalid fields with 400 per field and creates nothing', async () => {
    const before = await t.db.prisma.event.count();
    const cases: Array<[unknown, string]> = [
      [{ name: '', venue: 'V', startsAt: inDays(1) }, 'name'],
      [{ name: 'x'.repeat(201), venue: 'V', startsAt: inDays(1) }, 'name'],
      [{ name: 'N', venue: 'V', startsAt: 'next tuesday' }, 'startsAt'],
      [{ name: 'N', venue: 'V', startsAt: inDays(2), endsAt: inDays(1) }, 'endsAt'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), imageUrl: 'javascript:alert(1)' }, 'imageUrl'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), status: 'CANCELLED' }, 'status'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), description: 'd'.repeat(5001) }, 'description'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), paymentMethods: [] }, 'paymentMethods'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), paymentMethods: ['instant', 'instant'] }, 'paymentMethods'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), paymentMethods: ['cheque'] }, 'paymentMethods.0'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), paymentMethods: 'instant' }, 'paymentMethods'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), payLaterDays: 0 }, 'payLaterDays'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), payLaterDays: 61 }, 'payLaterDays'],
      [{ name: 'N', venue: 'V', startsAt: inDays(1), payLaterDays: 2.5 }, 'payLaterDays'],
    ];
    for (const [input, field] of cases) {
      const error = await failure(callerFor(t.app, staff).events.create(input as never));
      expect(error.code, field).toBe('BAD_REQUEST');
      expect(Object.keys(error.data.fieldErrors as object), field).toContain(field);
    }
    expect(await t.db.prisma.event.count()).toBe(before);
  });

  it('updates the given fields only; an end before the start is refused', async () => {
    const event = await callerFor(t.app, admin).events.create({
      name: 'Old',
      venue: 'Hall',
      startsAt: inDays(3),
      endsAt: inDays(4),
      description: 'keep me',
    });
    const updated = await callerFor(t.app, staff).events.update({ id: event.id, name: 'New', status: 'ON_SALE', endsAt: null });
    expect(updated).toMatchObject({ name: 'New', status: 'ON_SALE', description: 'keep me', venue: 'Hall', endsAt: null });
    const before = await inventorySnapshot(t.db);
    const error = await failure(callerFor(t.app, staff).events.update({ id: event.id, endsAt: inDays(1) }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.fieldErrors).toHaveProperty('endsAt');
    expect((await failure(callerFor(t.app, staff).events.update({ id: crypto.randomUUID(), name: 'x' }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, staff).events.update({ id: 'bad', name: 'x' }))).code).toBe('BAD_REQUEST');
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it("keeps the venue's time zone: canonical spelling, changed on its own, audited; an unknown zone changes nothing", async () => {
    const event = await callerFor(t.app, staff).events.create({
      name: 'Proms',
      venue: 'Albert Hall',
      startsAt: inDays(5),
      timeZone: 'europe/london',
    });
    expect(event.timeZone).toBe('Europe/London');
    const moved = await callerFor(t.app, staff).events.update({ id: event.id, timeZone: 'America/New_York' });
    expect(moved).toMatchObject({ timeZone: 'America/New_York', name: 'Proms', startsAt: event.startsAt });
    expect((await callerFor(t.app, staff).events.byId({ id: event.id })).timeZone).toBe('America/New_York');
    const audit = await t.db.prisma.authEvent.findFirst({ where: { eventId: event.id, type: 'event_update' }, select: { detail: true } });
    expect(audit?.detail).toMatchObject({ before: { timeZone: 'Europe/London' }, after: { timeZone: 'America/New_York' } });

    for (const timeZone of ['Mars/Olympus_Mons', 'GMT+1; DROP TABLE', '', 'x'.repeat(80)]) {
      const error = await failure(callerFor(t.app, staff).events.update({ id: event.id, timeZone }));
      expect(error.code, timeZone).toBe('BAD_REQUEST');
      expect(error.data.fieldErrors, timeZone).toHaveProperty('timeZone');
      const refused = await failure(callerFor(t.app, staff).events.create({ name: 'X', venue: 'Y', startsAt: inDays(5), timeZone }));
      expect(refused.code, timeZone).toBe('BAD_REQUEST');
    }
    expect((await callerFor(t.app, staff).events.byId({ id: event.id })).timeZone).toBe('America/New_York');
    expect(await t.db.prisma.event.count({ where: { name: 'X' } })).toBe(0);
  });

  it('offers ways to pay: set on create, changed on update, audited; a bad change leaves the event as it was', async () => {
    const staffApi = callerFor(t.app, staff).events;
    const event = await staffApi.create({
      name: 'Pay Later Gala',
      venue: 'V',
      startsAt: inDays(20),
      paymentMethods: ['instant', 'bank_transfer'],
      payLaterDays: 7,
      status: 'ON_SALE',
    });
    expect(event).toMatchObject({ paymentMethods: ['instant', 'bank_transfer'], payLaterDays: 7 });
    const changed = await staffApi.update({ id: event.id, paymentMethods: ['box_office'], payLaterDays: 2 });
    expect(changed).toMatchObject({ paymentMethods: ['box_office'], payLaterDays: 2, name: 'Pay Later Gala' });
    expect((await callerFor(t.app).events.byId({ id: event.id })).paymentMethods).toEqual(['box_office']);
    const audit = await t.db.prisma.authEvent.findFirst({ where: { eventId: event.id, type: 'event_update' }, select: { detail: true } });
    expect(audit?.detail).toMatchObject({
      // The audit shows each field as text, as the audit log lists it.
      before: { paymentMethods: 'instant, bank_transfer', payLaterDays: '7' },
      after: { paymentMethods: 'box_office', payLaterDays: '2' },
    });
    for (const bad of [{ paymentMethods: [] }, { paymentMethods: ['box_office', 'wire'] }, { payLaterDays: -1 }]) {
      const error = await failure(staffApi.update({ id: event.id, name: 'Renamed', ...bad } as never));
      expect(error.code, JSON.stringify(bad)).toBe('BAD_REQUEST');
    }
    expect(await staffApi.byId({ id: event.id })).toMatchObject({ name: 'Pay Later Gala', paymentMethods: ['box_office'], payLaterDays: 2 });
  });

  it('cancelling ends sales, drops holds, keeps paid orders, and is final', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    await callerFor(t.app, customer).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: crypto.randomUUID() });
    await callerFor(t.app, customer).tickets.reserve({ eventId, seats: seats('A2') });
    const cancelled = await callerFor(t.app, staff).events.cancel({ id: eventId });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', seats: { total: 20, available: 19, reserved: 0, sold: 1 } });
    expect(await callerFor(t.app, staff).events.cancel({ id: eventId })).toEqual(cancelled);
    expect(await t.db.prisma.order.count({ where: { eventId, status: 'PAID' } })).toBe(1);
    expect((await failure(callerFor(t.app, staff).events.update({ id: eventId, status: 'ON_SALE' }))).code).toBe('CONFLICT');
    expect((await failure(callerFor(t.app, customer).events.cancel({ id: eventId }))).code).toBe('FORBIDDEN');
    // Ticket holders can still look the event up.
    expect((await callerFor(t.app, customer).events.byId({ id: eventId })).status).toBe('CANCELLED');
  });
});

describe('events.list', () => {
  it('shows customers upcoming events on sale only; staff see drafts and cancelled ones too', async () => {
    const q = token();
    const onSale = await createEventWithSeats(t.db, { name: `${q} on sale` });
    const draft = await createEventWithSeats(t.db, { name: `${q} draft`, status: 'DRAFT' });
    const cancelled = await createEventWithSeats(t.db, { name: `${q} cancelled` });
    await callerFor(t.app, staff).events.cancel({ id: cancelled.eventId });
    const past = await createEventWithSeats(t.db, { name: `${q} past` });
    await t.db.prisma.event.update({ where: { id: past.eventId }, data: { startsAt: new Date(Date.now() - 86_400_000) } });

    const ids = async (user: AuthUser | null, extra: object = {}) =>
      (await callerFor(t.app, user).events.list({ q, ...extra })).items.map((e) => e.id).sort();
    expect(await ids(null)).toEqual([onSale.eventId]);
    expect(await ids(customer)).toEqual([onSale.eventId]);
    expect(await ids(pendingStaff)).toEqual([onSale.eventId]);
    expect(await ids(null, { includePast: true })).toEqual([onSale.eventId, past.eventId].sort());
    expect(await ids(staff)).toEqual([onSale.eventId, draft.eventId, cancelled.eventId].sort());
    expect(await ids(admin, { includePast: true })).toHaveLength(4);
  });

  it('searches name and venue case-insensitively, treating % and _ literally', async () => {
    const q = token();
    const byName = await createEventWithSeats(t.db, { name: `The ${q.toUpperCase()} Show` });
    const byVenue = await createEventWithSeats(t.db, { venue: `${q} Arena` });
    await createEventWithSeats(t.db, { name: 'Another 100% party' });
    const found = await callerFor(t.app).events.list({ q });
    expect(found.items.map((e) => e.id).sort()).toEqual([byName.eventId, byVenue.eventId].sort());
    const percent = await callerFor(t.app).events.list({ q: '0%' });
    expect(percent.items.map((e) => e.name)).toEqual(['Another 100% party']);
    expect((await callerFor(t.app).events.list({ q: `${q}_` })).items).toEqual([]);
  });

  it('filters by start-time range, venue and most-you-would-pay, together with the text search', async () => {
    const q = token();
    const early = await createEventWithSeats(t.db, { name: `${q} early`, venue: `${q} Hall`, startsAt: inDays(10) });
    const late = await createEventWithSeats(t.db, {
      name: `${q} late`,
      venue: `${q} Hall`,
      startsAt: inDays(40),
      tiers: [{ name: 'Box', priceCents: 20000, currency: 'USD' }],
    });
    const elsewhere = await createEventWithSeats(t.db, { name: `${q} elsewhere`, venue: `${q} Arena`, startsAt: inDays(20) });
    const ids = async (input: Record<string, unknown>) => (await callerFor(t.app).events.list({ q, ...input })).items.map((e) => e.id);
    expect(await ids({ from: inDays(15), to: inDays(30) })).toEqual([elsewhere.eventId]);
    expect(await ids({ from: inDays(15) })).toEqual([elsewhere.eventId, late.eventId]);
    expect(await ids({ to: inDays(15) })).toEqual([early.eventId]);
    expect(await ids({ venue: `${q.toUpperCase()} HALL` })).toEqual([early.eventId, late.eventId]);
    expect(await ids({ maxPriceCents: 5000 })).toEqual([early.eventId, elsewhere.eventId]);
    expect(await ids({ maxPriceCents: 4999 })).toEqual([]);
    expect(await ids({ venue: `${q} Hall`, maxPriceCents: 20000, from: inDays(30) })).toEqual([late.eventId]);
    // The venue list offers each venue of an upcoming on-sale event once.
    const venues = await callerFor(t.app).events.venues();
    expect(venues.filter((v) => v.startsWith(q))).toEqual([`${q} Arena`, `${q} Hall`]);
  });

  it('refuses a backwards or malformed range, an empty venue and a negative price with 400', async () => {
    for (const input of [
      { from: inDays(20), to: inDays(10) },
      { from: 'tomorrow' },
      { to: '2027-13-01T00:00:00Z' },
      { venue: '' },
      { maxPriceCents: -1 },
      { maxPriceCents: 1.5 },
    ]) {
      expect((await failure(callerFor(t.app).events.list(input))).code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
  });

  it('gives each event its price from and seat counts, an expired hold counting as available', async () => {
    const q = token();
    const { eventId } = await createEventWithSeats(t.db, {
      name: q,
      tiers: [
        { name: 'VIP', priceCents: 9000, currency: 'GBP' },
        { name: 'Cheap', priceCents: 1500, currency: 'GBP' },
      ],
      rows: [
        ['A', 4, 0],
        ['B', 6, 1],
      ],
    });
    await callerFor(t.app, customer).tickets.reserve({ eventId, seats: seats('A1', 'A2') });
    await callerFor(t.app, customer).tickets.purchase({ eventId, seats: seats('B1'), idempotencyKey: crypto.randomUUID() });
    await callerFor(t.app, staff).tickets.reserve({ eventId, seats: seats('B2') });
    await t.db.prisma.ticket.updateMany({ where: { eventId, heldById: staff.id }, data: { holdExpiresAt: new Date(Date.now() - 1) } });
    const [event] = (await callerFor(t.app).events.list({ q })).items;
    expect(event).toMatchObject({ minPriceCents: 1500, currency: 'GBP', seats: { total: 10, available: 7, reserved: 2, sold: 1 } });
  });

  it('pages through events in start order with an opaque cursor, stable when start times tie', async () => {
    const q = token();
    const same = inDays(40);
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createEventWithSeats(t.db, { name: `${q} ${i}`, startsAt: i < 4 ? same : inDays(41), rows: [] }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await callerFor(t.app).events.list({ q, limit: 2, cursor });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const expected = [
      ...created
        .slice(0, 4)
        .map((c) => c.eventId)
        .sort(),
      created[4]!.eventId,
    ];
    expect(seen).toEqual(expected);
  });

  it('refuses a bad cursor or limit with 400', async () => {
    for (const input of [
      { cursor: 'garbage' },
      { cursor: Buffer.from('["x","y"]').toString('base64url') },
      { limit: 0 },
      { limit: 101 },
      { limit: 2.5 },
      { q: 'x'.repeat(101) },
    ]) {
      expect((await failure(callerFor(t.app).events.list(input))).code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    await expect(callerFor(t.app).events.list()).resolves.toMatchObject({ items: expect.any(Array) });
  });
});

describe('events.byId', () => {
  it('returns the event with its tiers in the order they were created (not by price or name)', async () => {
    const { eventId } = await createEventWithSeats(t.db, {
      tiers: [
        { name: 'Gold', priceCents: 5000, currency: 'USD' },
        { name: 'Silver', priceCents: 2500, currency: 'USD' },
      ],
      rows: [['A', 3, 1]],
    });
    const event = await callerFor(t.app).events.byId({ id: eventId });
    expect(event.tiers.map((x) => [x.name, x.priceCents, x.currency])).toEqual([
      ['Gold', 5000, 'USD'],
      ['Silver', 2500, 'USD'],
    ]);
    expect(event.seats).toEqual({ total: 3, available: 3, reserved: 0, sold: 0 });
  });

  it('a draft is NOT_FOUND for customers and visible to staff; unknown and malformed ids are 404 and 400', async () => {
    const { eventId } = await createEventWithSeats(t.db, { status: 'DRAFT' });
    expect((await failure(callerFor(t.app, customer).events.byId({ id: eventId }))).code).toBe('NOT_FOUND');
    expect((await callerFor(t.app, staff).events.byId({ id: eventId })).status).toBe('DRAFT');
    expect((await failure(callerFor(t.app).events.byId({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app).events.byId({ id: '123' }))).code).toBe('BAD_REQUEST');
  });
});
