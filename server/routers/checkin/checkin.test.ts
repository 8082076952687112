import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';

const {
  t,
  users: [buyer, staff, secondStaff],
} = setupTestApp(['CUSTOMER', 'STAFF', 'STAFF']);

const nameOf = async (id: string) => (await t.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { name: true } })).name;

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

  it('two devices at two gates: one admits, the other is told when, where and by whom, and the counter agrees', async () => {
    const { eventId, barcodes } = await ticketsFor(['A1', 'A2', 'A3']);
    const north = callerFor(t.app, staff).checkin;
    const south = callerFor(t.app, secondStaff).checkin;
    expect(await north.stats({ eventId })).toEqual({ eventId, checkedIn: 0, sold: 3 });

    const [a, b] = await Promise.all([
      north.scan({ barcode: barcodes[0]!, eventId, gate: ' North door ' }),
      south.scan({ barcode: barcodes[0]!, eventId, gate: 'South door' }),
    ]);
    const results = [a, b];
    const ok = results.find((r) => r.result === 'OK');
    const duplicate = results.find((r) => r.result === 'ALREADY_CHECKED_IN');
    if (ok?.result !== 'OK' || duplicate?.result !== 'ALREADY_CHECKED_IN')
      throw new Error(`expected one OK and one duplicate, got ${a.result}, ${b.result}`);
    const winner = ok === a ? { gate: 'North door', id: staff.id } : { gate: 'South door', id: secondStaff.id };
    expect(ok.admission).toEqual({ at: ok.ticket.checkedInAt, gate: winner.gate, by: await nameOf(winner.id) });
    expect(duplicate.firstScan).toEqual(ok.admission);
    expect(ok.counts).toEqual({ eventId, checkedIn: 1, sold: 3 });
    expect(duplicate.counts).toEqual({ eventId, checkedIn: 1, sold: 3 });
    const row = await t.db.prisma.issuedTicket.findUniqueOrThrow({
      where: { barcode: barcodes[0]! },
      select: { checkedInById: true, checkedInGate: true },
    });
    expect(row).toEqual({ checkedInById: winner.id, checkedInGate: winner.gate });
    // The audit row names the gate; the duplicate wrote none.
    const audit = await t.db.prisma.authEvent.findMany({ where: { eventId, type: 'ticket_checkin' }, select: { actorId: true, detail: true } });
    expect(audit).toEqual([{ actorId: winner.id, detail: expect.objectContaining({ seat: 'A-1', gate: winner.gate }) }]);

    // A refunded ticket is neither sold nor admitted; a scan without a gate records none.
    const refunded = await ticketsFor(['A4']);
    await callerFor(t.app, buyer).orders.cancel({ id: refunded.order.id });
    const plain = await north.scan({ barcode: barcodes[1]! });
    expect(plain).toMatchObject({ result: 'OK', admission: { gate: null, by: await nameOf(staff.id) }, counts: { checkedIn: 2, sold: 3 } });
    expect(await south.stats({ eventId })).toEqual({ eventId, checkedIn: 2, sold: 3 });
    expect(await south.stats({ eventId: refunded.eventId })).toEqual({ eventId: refunded.eventId, checkedIn: 0, sold: 0 });
  });

  it('a scan queued offline keeps its time, but never a future one or one older than a day', async () => {
    const { barcodes } = await ticketsFor(['B1', 'B2', 'B3']);
    const scan = callerFor(t.app, staff).checkin.scan;
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const queued = await scan({ barcode: barcodes[0]!, scannedAt: tenMinutesAgo.toISOString(), gate: 'Offline tablet' });
    expect(queued.result).toBe('OK');
    expect(Math.abs(Date.parse(queued.ticket!.checkedInAt!) - tenMinutesAgo.getTime())).toBeLessThan(1000);

    const future = await scan({ barcode: barcodes[1]!, scannedAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(Math.abs(Date.parse(future.ticket!.checkedInAt!) - Date.now())).toBeLessThan(60_000);
    const ancient = await scan({ barcode: barcodes[2]!, scannedAt: '2020-01-01T00:00:00Z' });
    expect(Math.abs(Date.parse(ancient.ticket!.checkedInAt!) - (Date.now() - 24 * 3600_000))).toBeLessThan(60_000);
  });

  it('refuses a bad gate or time with 400 and admits nothing; the counter is for staff, per existing event', async () => {
    const { eventId, barcodes } = await ticketsFor(['B4']);
    const scan = callerFor(t.app, staff).checkin.scan;
    expect((await failure(scan({ barcode: barcodes[0]!, gate: 'g'.repeat(41) }))).code).toBe('BAD_REQUEST');
    const badTime = await failure(scan({ barcode: barcodes[0]!, scannedAt: 'yesterday' }));
    expect(badTime).toMatchObject({ code: 'BAD_REQUEST', data: { fieldErrors: { scannedAt: [expect.any(String)] } } });
    const row = await t.db.prisma.issuedTicket.findUniqueOrThrow({ where: { barcode: barcodes[0]! }, select: { status: true, checkedInById: true } });
    expect(row).toEqual({ status: 'VALID', checkedInById: null });

    expect((await failure(callerFor(t.app).checkin.stats({ eventId }))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app, buyer).checkin.stats({ eventId }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app, staff).checkin.stats({ eventId: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, staff).checkin.stats({ eventId: 'nope' }))).code).toBe('BAD_REQUEST');
  });
});
