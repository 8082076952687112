import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';

const {
  t,
  users: [buyer, staff],
} = setupTestApp(['CUSTOMER', 'STAFF']);

async function ticketsFor(labels: string[]) {
  const { eventId } = await createEventWithSeats(t.db);
  const order = await callerFor(t.app, buyer).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID() });
  return { eventId, order, barcodes: order.tickets.map((x) => x.barcode) };
}

describe('checkin.scan', () => {
  it('admits a ticket once, then answers ALREADY_CHECKED_IN', async () => {
    const { barcodes } = await ticketsFor(['A1']);
    const scan = callerFor(t.app, staff).checkin.scan;
    const first = await scan({ barcode: barcodes[0]! });
    expect(first).toMatchObject({
      result: 'OK',
      ticket: { barcode: barcodes[0], status: 'CHECKED_IN', row: 'A', number: 1, checkedInAt: expect.any(String) },
    });
    const second = await scan({ barcode: barcodes[0]! });
    expect(second).toMatchObject({ result: 'ALREADY_CHECKED_IN', ticket: { status: 'CHECKED_IN', checkedInAt: first.ticket!.checkedInAt } });
  });

  it('accepts the barcode typed in lower case or with dashes and spaces', async () => {
    const { barcodes } = await ticketsFor(['A2']);
    const typed = ` ${barcodes[0]!.toLowerCase().replace(/(.{4})/g, '$1-')} `;
    expect((await callerFor(t.app, staff).checkin.scan({ barcode: typed })).result).toBe('OK');
  });

  it('two simultaneous scans of one barcode admit once', async () => {
    const { barcodes } = await ticketsFor(['A3']);
    const results = await Promise.all(Array.from({ length: 10 }, () => callerFor(t.app, staff).checkin.scan({ barcode: barcodes[0]! })));
    expect(results.filter((r) => r.result === 'OK')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'ALREADY_CHECKED_IN')).toHaveLength(9);
  });

  it('unknown, cancelled, wrong-event and cancelled-event tickets are INVALID and stay unscanned', async () => {
    const scan = callerFor(t.app, staff).checkin.scan;
    expect(await scan({ barcode: 'NOT-A-TICKET' })).toEqual({ result: 'INVALID', reason: 'Unknown ticket.' });
    expect(await scan({ barcode: 'A'.repeat(32) })).toEqual({ result: 'INVALID', reason: 'Unknown ticket.' });

    const refunded = await ticketsFor(['A1']);
    await callerFor(t.app, buyer).orders.cancel({ id: refunded.order.id });
    expect(await scan({ barcode: refunded.barcodes[0]! })).toMatchObject({ result: 'INVALID', ticket: { status: 'CANCELLED' } });

    const elsewhere = await ticketsFor(['A1']);
    const other = await createEventWithSeats(t.db);
    const wrong = await scan({ barcode: elsewhere.barcodes[0]!, eventId: other.eventId });
    expect(wrong).toMatchObject({ result: 'INVALID', reason: expect.stringContaining('another event'), ticket: { status: 'VALID' } });
    expect((await scan({ barcode: elsewhere.barcodes[0]!, eventId: elsewhere.eventId })).result).toBe('OK');

    const called = await ticketsFor(['A1']);
    await callerFor(t.app, staff).events.cancel({ id: called.eventId });
    expect(await scan({ barcode: called.barcodes[0]! })).toMatchObject({ result: 'INVALID', reason: 'This event is cancelled.' });
    const row = await t.db.prisma.issuedTicket.findUnique({ where: { barcode: called.barcodes[0]! }, select: { status: true, checkedInAt: true } });
    expect(row).toEqual({ status: 'VALID', checkedInAt: null });
  });

  it('is for staff only; empty or oversized barcodes are 400', async () => {
    const { barcodes } = await ticketsFor(['B1']);
    expect((await failure(callerFor(t.app, buyer).checkin.scan({ barcode: barcodes[0]! }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).checkin.scan({ barcode: barcodes[0]! }))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app, staff).checkin.scan({ barcode: ' ' }))).code).toBe('BAD_REQUEST');
    expect((await failure(callerFor(t.app, staff).checkin.scan({ barcode: 'x'.repeat(201) }))).code).toBe('BAD_REQUEST');
    const row = await t.db.prisma.issuedTicket.findUnique({ where: { barcode: barcodes[0]! }, select: { status: true } });
    expect(row?.status).toBe('VALID');
  });
});
