import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expandSeatMap } from '../../../shared/seat-map.js';
import type { VenueLayoutInput } from '../../../shared/layout.js';
import { callerFor } from '../../../test/app.js';
import { failure, inDays, inventorySnapshot } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';

const {
  t,
  users: [customer, staff],
} = setupTestApp(['CUSTOMER', 'STAFF']);

/** An on-sale event with tiers Stalls and Circle and no seats yet. */
async function emptyEvent(): Promise<string> {
  const api = callerFor(t.app, staff);
  const event = await api.events.create({
    name: `Layout ${crypto.randomUUID().slice(0, 8)}`,
    venue: 'Lyric',
    startsAt: inDays(20),
    status: 'ON_SALE',
  });
  await api.pricing.setTiers({
    eventId: event.id,
    tiers: [
      { name: 'Stalls', priceCents: 6000, currency: 'GBP' },
      { name: 'Circle', priceCents: 4000, currency: 'GBP' },
    ],
  });
  return event.id;
}

/** Stalls: rows A-C of 10, an aisle after seat 5, A10 missing (a pillar), wheelchair A1 A2 with companion A3, C10 restricted. Circle (prefix C): rows A-B of 8, odd-even. */
const theatre: VenueLayoutInput = {
  sections: [
    {
      name: 'Stalls',
      rows: [{ from: 'A', to: 'C', seats: 10, aisles: [5], tier: 'Stalls' }],
      missing: ['A10'],
      wheelchair: ['A1', 'A2'],
      companion: ['A3'],
      restricted: ['C10'],
    },
    { name: 'Circle', prefix: 'C', rows: [{ from: 'A', to: 'B', seats: 8, numbering: 'odd-even', tier: 'circle' }] },
  ],
};

describe('inventory.generateLayout', () => {
  it('lays out sections with aisles, missing seats, odd-even numbering and accessible places; the map shows them in order', async () => {
    const eventId = await emptyEvent();
    const result = await callerFor(t.app, staff).inventory.generateLayout({ eventId, layout: theatre });
    expect(result).toEqual({ created: 29 + 16, sections: ['Stalls', 'Circle'] });

    const map = await callerFor(t.app).inventory.seatMap({ eventId });
    expect(map.rows.map((r) => [r.name, r.section])).toEqual([
      ['A', 'Stalls'],
      ['B', 'Stalls'],
      ['C', 'Stalls'],
      ['C-A', 'Circle'],
      ['C-B', 'Circle'],
    ]);
    const rowA = map.rows[0]!.seats;
    expect(rowA.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The aisle after seat 5 leaves place 5 empty; A10 (place 10) is missing.
    expect(rowA.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(rowA.slice(0, 4).map((s) => s.features)).toEqual([['wheelchair'], ['wheelchair'], ['companion'], undefined]);
    expect(map.rows[2]!.seats.find((s) => s.number === 10)).toMatchObject({ position: 10, features: ['restricted'] });
    // Odd to the left of the centre, even to the right: 7 5 3 1 | 2 4 6 8.
    const circle = [...map.rows[3]!.seats].sort((a, b) => a.position! - b.position!);
    expect(circle.map((s) => s.number)).toEqual([7, 5, 3, 1, 2, 4, 6, 8]);
    const tiers = new Map(map.tiers.map((x) => [x.id, x.name]));
    expect(new Set(map.rows[3]!.seats.map((s) => tiers.get(s.tierId)))).toEqual(new Set(['Circle']));

    // The compact map carries the same, and expands to the same shape.
    const compact = await callerFor(t.app).inventory.seatMapCompact({ eventId });
    expect(compact.rows[0]).toMatchObject({ section: 'Stalls', positions: [0, 1, 2, 3, 4, 6, 7, 8, 9], features: '112000000' });
    expect(expandSeatMap(compact)).toEqual(map);

    // A prefixed row is an ordinary seat key for shoppers.
    const order = await callerFor(t.app, customer).tickets.purchase({
      eventId,
      seats: [{ row: 'C-A', number: 1 }],
      idempotencyKey: crypto.randomUUID(),
    });
    expect(order.tickets.map((x) => [x.row, x.number, x.tierName])).toEqual([['C-A', 1, 'Circle']]);

    const audit = await t.db.prisma.authEvent.findFirst({ where: { eventId, type: 'seats_generate' }, select: { detail: true } });
    expect(audit?.detail).toMatchObject({ created: 45, sections: ['Stalls', 'Circle'] });
  });

  it('refuses bad layouts with a clear error per field and creates nothing', async () => {
    const eventId = await emptyEvent();
    const before = await inventorySnapshot(t.db);
    const api = callerFor(t.app, staff).inventory;
    const cases: Array<[VenueLayoutInput, string, string]> = [
      [
        { sections: [{ name: 'Stalls', rows: [{ from: 'A', seats: 5, tier: 'Gallery' }] }] },
        'layout.sections.0.rows.0.tier',
        'no tier named Gallery',
      ],
      [
        {
          sections: [
            { name: 'Stalls', rows: [{ from: 'A', seats: 5, tier: 'Stalls' }] },
            { name: 'Circle', rows: [{ from: 'A', seats: 5, tier: 'Circle' }] },
          ],
        },
        'layout.sections.1.rows.0.from',
        'give one of the sections a prefix',
      ],
      [
        { sections: [{ name: 'Stalls', rows: [{ from: 'A', seats: 5, tier: 'Stalls' }], wheelchair: ['A9'] }] },
        'layout.sections.0.wheelchair.0',
        'no seat A9',
      ],
      [
        { sections: [{ name: 'Stalls', rows: [{ from: 'A', seats: 5, tier: 'Stalls' }], missing: ['A2'], companion: ['A2'] }] },
        'layout.sections.0.companion.0',
        'missing',
      ],
      [
        { sections: [{ name: 'Stalls', rows: [{ from: 'C', to: 'A', seats: 5, tier: 'Stalls' }] }] },
        'layout.sections.0.rows.0.to',
        'after the first',
      ],
      [
        { sections: [{ name: 'Stalls', rows: [{ from: 'A', seats: 5, aisles: [5], tier: 'Stalls' }] }] },
        'layout.sections.0.rows.0.aisles',
        'between seats',
      ],
      [{ sections: [{ name: 'Stalls', rows: [{ from: 'A', seats: 5000, tier: 'Stalls' }] }] }, 'layout.sections.0.rows.0.seats', 'At most 1000'],
      [{ sections: [{ name: ' ', rows: [{ from: 'A', seats: 5, tier: 'Stalls' }] }] }, 'layout.sections.0.name', 'Name the section'],
      [{ sections: [{ name: 'Stalls', prefix: 'C-1', rows: [{ from: 'A', seats: 5, tier: 'Stalls' }] }] }, 'layout.sections.0.prefix', 'prefix'],
      [{ sections: [] }, 'layout.sections', 'at least one section'],
    ];
    for (const [layout, field, message] of cases) {
      const error = await failure(api.generateLayout({ eventId, layout }));
      expect(error.code, field).toBe('BAD_REQUEST');
      expect((error.data.fieldErrors as Record<string, string[]>)[field]?.join(' '), field).toContain(message);
    }
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect(await t.db.prisma.eventSection.count({ where: { eventId } })).toBe(0);

    // Seats that exist already: CONFLICT naming the rows; a section name used twice: 400.
    await api.generateLayout({ eventId, layout: { sections: [{ name: 'Stalls', rows: [{ from: 'A', seats: 4, tier: 'Stalls' }] }] } });
    const afterFirst = await inventorySnapshot(t.db);
    const clash = await failure(
      api.generateLayout({ eventId, layout: { sections: [{ name: 'Front', rows: [{ from: 'A', seats: 2, tier: 'Stalls' }] }] } }),
    );
    expect(clash).toMatchObject({ code: 'CONFLICT', data: { clashingRows: ['A'] } });
    const again = await failure(
      api.generateLayout({ eventId, layout: { sections: [{ name: 'stalls', rows: [{ from: 'Z', seats: 2, tier: 'Stalls' }] }] } }),
    );
    expect(again.code).toBe('BAD_REQUEST');
    expect(await inventorySnapshot(t.db)).toEqual(afterFirst);

    // Who may: staff only.
    const layout = { sections: [{ name: 'Box', rows: [{ from: 'X', seats: 2, tier: 'Stalls' }] }] };
    expect((await failure(callerFor(t.app, customer).inventory.generateLayout({ eventId, layout }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).inventory.generateLayout({ eventId, layout }))).code).toBe('UNAUTHORIZED');
    expect((await failure(api.generateLayout({ eventId: crypto.randomUUID(), layout }))).code).toBe('NOT_FOUND');
    expect(await inventorySnapshot(t.db)).toEqual(afterFirst);
  });

  it('generates 100,000 seats in sections in one call', async () => {
    const eventId = await emptyEvent();
    const layout: VenueLayoutInput = {
      sections: [
        { name: 'Floor', prefix: 'F', rows: [{ from: 'A', to: 'CV', seats: 500, aisles: [100, 400], tier: 'Stalls' }] },
        { name: 'Tier', prefix: 'T', rows: [{ from: 'A', to: 'CV', seats: 500, numbering: 'rtl', tier: 'Circle' }] },
      ],
    };
    const { created } = await callerFor(t.app, staff).inventory.generateLayout({ eventId, layout });
    expect(created).toBe(100_000);
    const counts = await t.db.prisma.ticket.groupBy({ by: ['section'], where: { eventId }, _count: true, orderBy: { section: 'asc' } });
    expect(counts.map((c) => [c.section, c._count])).toEqual([
      ['Floor', 50_000],
      ['Tier', 50_000],
    ]);
  }, 120_000);
});

describe('best available on a venue layout', () => {
  it('keeps a block to seats that sit together: an aisle splits it, odd-even numbers count by place', async () => {
    const eventId = await emptyEvent();
    await callerFor(t.app, staff).inventory.generateLayout({
      eventId,
      layout: {
        sections: [
          { name: 'Stalls', rows: [{ from: 'A', seats: 10, aisles: [5], tier: 'Stalls' }] },
          { name: 'Circle', prefix: 'C', rows: [{ from: 'A', seats: 8, numbering: 'odd-even', tier: 'Circle' }] },
        ],
      },
    });
    const map = await callerFor(t.app).inventory.seatMap({ eventId });
    const circleTier = map.tiers.find((x) => x.name === 'Circle')!.id;
    const best = callerFor(t.app, customer).tickets.reserveBest;
    // Places 3-5 of 7 5 3 1 | 2 4 6 8, centred (ties to the lower number): seats 1, 2 and 4, not 3, 4, 5.
    const three = await best({ eventId, quantity: 3, tierId: circleTier });
    expect(three.seats).toEqual([
      { row: 'C-A', number: 1 },
      { row: 'C-A', number: 2 },
      { row: 'C-A', number: 4 },
    ]);
    // Six together do not fit in Stalls row A (5 | aisle | 5), though its numbers run 1-10.
    const six = await failure(callerFor(t.app, staff).tickets.reserveBest({ eventId, quantity: 6 }));
    expect(six).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('No 6 seats side by side are free'), data: { quantity: 6 } });
    expect(await t.db.prisma.ticket.count({ where: { eventId, status: 'RESERVED' } })).toBe(3);
    // Five do: the half of row A nearest the centre line, at the front.
    const five = await callerFor(t.app, staff).tickets.reserveBest({ eventId, quantity: 5 });
    expect(five.seats.map((x) => `${x.row}${x.number}`)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
  });
});

describe('layouts: venue templates', () => {
  it('saves, lists, replaces by name and deletes templates; staff only; bad layouts refused', async () => {
    const api = callerFor(t.app, staff).layouts;
    const saved = await api.saveTemplate({ name: 'Lyric Theatre', layout: theatre });
    expect(saved).toMatchObject({ name: 'Lyric Theatre', seats: 45, sections: ['Stalls', 'Circle'] });
    const replaced = await api.saveTemplate({ name: 'Lyric Theatre', layout: { sections: [theatre.sections[0]!] } });
    expect(replaced).toMatchObject({ id: saved.id, seats: 29, sections: ['Stalls'] });
    expect((await api.templates()).filter((x) => x.name === 'Lyric Theatre')).toHaveLength(1);

    // A template's layout generates a new event's seats as it stands.
    const eventId = await emptyEvent();
    const template = (await api.templates()).find((x) => x.id === saved.id)!;
    expect((await callerFor(t.app, staff).inventory.generateLayout({ eventId, layout: template.layout })).created).toBe(29);

    const before = await t.db.prisma.venueTemplate.count();
    expect((await failure(api.saveTemplate({ name: '', layout: theatre }))).code).toBe('BAD_REQUEST');
    expect(
      (await failure(api.saveTemplate({ name: 'Bad', layout: { sections: [{ name: 'X', rows: [{ from: 'A', seats: 0, tier: 'Y' }] }] } }))).code,
    ).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, customer).layouts.templates())).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).layouts.saveTemplate({ name: 'X', layout: theatre }))).code).toBe('UNAUTHORIZED');
    expect(await t.db.prisma.venueTemplate.count()).toBe(before);

    expect(await api.deleteTemplate({ id: saved.id })).toEqual({ deleted: true });
    expect((await failure(api.deleteTemplate({ id: saved.id }))).code).toBe('NOT_FOUND');
    const audit = await t.db.prisma.authEvent.findMany({ where: { type: { in: ['template_save', 'template_delete'] } }, select: { type: true } });
    expect(audit.map((a) => a.type)).toEqual(['template_save', 'template_save', 'template_delete']);
  });
});
