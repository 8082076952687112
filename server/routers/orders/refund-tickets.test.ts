import crypto from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { mailsSince } from '../../../test/mail.js';
import { setupTestApp } from '../../../test/setup-app.js';
import type { PaymentMethod } from '../../../shared/orders.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [alice, clerk],
} = setupTestApp(['CUSTOMER', 'STAFF']);

const buy = (user: AuthUser, eventId: string, labels: string[], paymentMethod?: PaymentMethod) =>
  callerFor(t.app, user).tickets.purchase({
    eventId,
    seats: seats(...labels),
    idempotencyKey: crypto.randomUUID(),
    ...(paymentMethod ? { paymentMethod } : {}),
  });
const staff = () => callerFor(t.app, clerk).orders;
const barcodeOf = (order: { tickets: Array<{ row: string; number: number; barcode: string }> }, label: string) => {
  const [seat] = seats(label);
  return order.tickets.find((x) => x.row === seat!.row && x.number === seat!.number)!.barcode;
};
const seatStatus = async (eventId: string, label: string) => {
  const [s] = seats(label);
  return (await t.db.prisma.ticket.findUniqueOrThrow({ where: { eventId_rowName_seatNumber: { eventId, rowName: s!.row, seatNumber: s!.number } } }))
    .status;
};

describe('orders.refundTickets (partial refunds)', () => {
  it('refunds some tickets: their seats back on sale, the rest still valid, the share of what was paid back, a mail, an audit row', async () => {
    // Four seats at 50.00 with 10% off for 4 or more: 180.00 paid, 45.00 a ticket.
    const { eventId } = await createEventWithSeats(t.db, { name: 'Partial Night', discounts: [{ minQuantity: 4, percentOff: 10 }] });
    const order = await buy(alice, eventId, ['A1', 'A2', 'A3', 'A4']);
    expect(order.totalCents).toBe(18000);
    await t.app.deps.background.idle();
    const seen = t.logs.length;

    const refunded = await staff().refundTickets({ id: order.id, barcodes: [barcodeOf(order, 'A2'), barcodeOf(order, 'A3')] });
    expect(refunded).toMatchObject({ status: 'PAID', refundedCents: 9000, totalCents: 18000, cancelledAt: null });
    expect(refunded.tickets.map((x) => `${x.row}${x.number}:${x.status}`)).toEqual(['A1:VALID', 'A2:CANCELLED', 'A3:CANCELLED', 'A4:VALID']);
    expect(await callerFor(t.app, alice).orders.byId({ id: order.id })).toEqual(refunded);
    expect([await seatStatus(eventId, 'A2'), await seatStatus(eventId, 'A3'), await seatStatus(eventId, 'A4')]).toEqual([
      'AVAILABLE',
      'AVAILABLE',
      'SOLD',
    ]);
    // The seats sell again; the refunded ticket no longer opens the door, the others do.
    expect((await buy(alice, eventId, ['A2'])).status).toBe('PAID');
    expect(await callerFor(t.app, clerk).checkin.scan({ barcode: barcodeOf(order, 'A3') })).toMatchObject({ result: 'INVALID' });
    expect(await callerFor(t.app, clerk).checkin.scan({ barcode: barcodeOf(order, 'A1') })).toMatchObject({ result: 'OK' });

    const mails = (await mailsSince(t, seen)).filter((m) => m.subject.includes(order.number));
    expect(mails.map((m) => m.subject)).toEqual([`Order ${order.number}: 2 tickets refunded · $90.00`]);
    const text = (await simpleParser(mails[0]!.raw)).text ?? '';
    expect(text).toMatch(/Row A, seat 2 · Standard/);
    expect(text).not.toMatch(/Row A, seat 1 /);
    expect(text).toMatch(/Refunded\s+\$90\.00/);

    const audit = await t.db.prisma.authEvent.findMany({
      where: { orderId: order.id, type: 'order_refund_tickets' },
      select: { actorId: true, detail: true },
    });
    expect(audit).toEqual([{ actorId: clerk.id, detail: { number: order.number, seats: 'A2, A3', tickets: 2, refundCents: 9000, currency: 'USD' } }]);

    // Cancelling the rest pays back what is left, not the whole total again.
    const cancelled = await staff().cancel({ id: order.id });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', refundedCents: 18000 });
    const cancelMail = (await mailsSince(t, seen)).find((m) => m.subject.startsWith(`Order ${order.number} cancelled`));
    expect(cancelMail?.subject).toBe(`Order ${order.number} cancelled · $90.00 refunded`);
    const cancelAudit = await t.db.prisma.authEvent.findFirst({ where: { orderId: order.id, type: 'order_cancel' }, select: { detail: true } });
    expect(cancelAudit?.detail).toMatchObject({ refundCents: 9000 });
  });

  it('the sales report counts a partial refund: fewer tickets sold, the refund, what was kept', async () => {
    const { eventId } = await createEventWithSeats(t.db, { discounts: [{ minQuantity: 4, percentOff: 10 }] });
    const order = await buy(alice, eventId, ['B1', 'B2', 'B3', 'B4']);
    await staff().refundTickets({ id: order.id, barcodes: [barcodeOf(order, 'B4')] });
    const report = await callerFor(t.app, clerk).admin.sales.report({ eventId });
    expect(report.totals).toMatchObject({
      orders: 1,
      cancelledOrders: 0,
      ticketsSold: 3,
      grossCents: 20000,
      discountCents: 2000,
      refundedCents: 4500,
      netCents: 13500,
      revenueCents: 13500,
    });
    expect(report.byTier).toEqual([
      expect.objectContaining({ tierName: 'Standard', ticketsSold: 3, grossCents: 15000, netCents: 13500, refundedCents: 4500 }),
    ]);
  });

  it('naming every ticket still valid cancels the order', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const order = await buy(alice, eventId, ['A5', 'A6']);
    const all = await staff().refundTickets({ id: order.id, barcodes: order.tickets.map((x) => x.barcode) });
    expect(all).toMatchObject({ status: 'CANCELLED', refundedCents: order.totalCents, cancelledAt: expect.any(String) });
  });

  it('refuses, all or nothing, tickets not of the order, refunded or used; unpaid and cancelled orders; and leaves every row as it was', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: ['instant', 'box_office'] });
    const order = await buy(alice, eventId, ['B5', 'B6', 'B7']);
    const other = await buy(alice, eventId, ['B8']);
    await staff().refundTickets({ id: order.id, barcodes: [barcodeOf(order, 'B5')] });
    await callerFor(t.app, clerk).checkin.scan({ barcode: barcodeOf(order, 'B6') });
    const pending = await buy(alice, eventId, ['B9'], 'box_office');
    const gone = await buy(alice, eventId, ['B10']);
    await staff().cancel({ id: gone.id });
    const before = await inventorySnapshot(t.db);
    const jobs = await t.db.prisma.mailJob.count();

    const cases: Array<[Parameters<ReturnType<typeof staff>['refundTickets']>[0], string, RegExp]> = [
      [{ id: order.id, barcodes: [barcodeOf(order, 'B7'), barcodeOf(other, 'B8')] }, 'NOT_FOUND', /not of this order/],
      [{ id: order.id, barcodes: [barcodeOf(order, 'B7'), 'NO-SUCH-CODE'] }, 'NOT_FOUND', /not of this order/],
      [{ id: order.id, barcodes: [barcodeOf(order, 'B5'), barcodeOf(order, 'B7')] }, 'CONFLICT', /already refunded/],
      [{ id: order.id, barcodes: [barcodeOf(order, 'B6')] }, 'CONFLICT', /already used at the door/],
      [{ id: pending.id, barcodes: [pending.tickets[0]!.barcode] }, 'CONFLICT', /waits for its payment/],
      [{ id: gone.id, barcodes: [gone.tickets[0]!.barcode] }, 'CONFLICT', /already cancelled/],
      [{ id: crypto.randomUUID(), barcodes: ['X'] }, 'NOT_FOUND', /Order not found/],
      [{ id: order.id, barcodes: [] }, 'BAD_REQUEST', /./],
      [{ id: order.id, barcodes: [barcodeOf(order, 'B7'), barcodeOf(order, 'B7')] }, 'BAD_REQUEST', /./],
      [{ id: 'nope', barcodes: ['X'] }, 'BAD_REQUEST', /./],
      [{ id: order.id, barcodes: ['X'], extra: true } as never, 'BAD_REQUEST', /./],
    ];
    for (const [input, code, message] of cases) {
      const refused = await failure(staff().refundTickets(input));
      expect([refused.code, refused.message], JSON.stringify(input)).toEqual([code, expect.stringMatching(message)]);
    }
    expect((await failure(callerFor(t.app, alice).orders.refundTickets({ id: order.id, barcodes: [barcodeOf(order, 'B7')] }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await failure(callerFor(t.app).orders.refundTickets({ id: order.id, barcodes: [barcodeOf(order, 'B7')] }))).code).toBe('UNAUTHORIZED');
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect(await t.db.prisma.mailJob.count()).toBe(jobs);

    // Refunding the last valid ticket while another was used at the door keeps the order: the used one stays sold.
    const kept = await staff().refundTickets({ id: order.id, barcodes: [barcodeOf(order, 'B7')] });
    expect(kept).toMatchObject({ status: 'PAID' });
    expect(kept.tickets.map((x) => x.status)).toEqual(['CANCELLED', 'CHECKED_IN', 'CANCELLED']);
  });
});
