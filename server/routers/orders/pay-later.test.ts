import crypto from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inDays, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { mailsSince } from '../../../test/mail.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { signIn, createUser } from '../../../test/users.js';
import type { PaymentMethod } from '../../../shared/orders.js';
import { expireUnpaidOrders } from '../../services/orders/expire-orders.js';
import type { AuthUser } from '../../trpc/context.js';

const {
  t,
  users: [alice, bob, clerk],
  // The tests expire orders themselves: the app's own sweep would race them.
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'STAFF'], { config: { sweepIntervalSeconds: 3600 } });

const PAY_LATER: PaymentMethod[] = ['instant', 'box_office', 'bank_transfer'];

const buy = (user: AuthUser, eventId: string, labels: string[], paymentMethod?: PaymentMethod, idempotencyKey = crypto.randomUUID()) =>
  callerFor(t.app, user).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey, ...(paymentMethod ? { paymentMethod } : {}) });

/** Moves an order's payment deadline into the past, as if its days to pay had gone by. */
const overdue = (orderId: string) => t.db.prisma.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 60_000) } });

const seatStatuses = async (eventId: string, labels: string[]) =>
  Promise.all(
    seats(...labels).map(
      async (s) =>
        (await t.db.prisma.ticket.findUniqueOrThrow({ where: { eventId_rowName_seatNumber: { eventId, rowName: s.row, seatNumber: s.number } } }))
          .status,
    ),
  );

const auditOf = (orderId: string) =>
  t.db.prisma.authEvent.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' }, select: { type: true, actorId: true, detail: true } });

const mailJobs = (orderId: string) =>
  t.db.prisma.mailJob.findMany({ where: { orderId }, orderBy: { id: 'asc' }, select: { kind: true } }).then((jobs) => jobs.map((j) => j.kind));

describe('paying later: the purchase', () => {
  it('by bank transfer: the order waits for its payment, the seats are sold, the tickets wait, and the buyer is mailed how to pay', async () => {
    const { eventId } = await createEventWithSeats(t.db, { name: 'Transfer Night', paymentMethods: PAY_LATER, payLaterDays: 5 });
    const seen = t.logs.length;
    const before = Date.now();
    const order = await buy(alice, eventId, ['A1', 'A2'], 'bank_transfer');

    expect(order).toMatchObject({ status: 'PENDING', paymentMethod: 'bank_transfer', paidAt: null, totalCents: 10000 });
    const due = Date.parse(order.paymentDueAt!);
    expect(due).toBeGreaterThanOrEqual(before + 5 * 86_400_000 - 5_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 5 * 86_400_000 + 5_000);
    expect(order.tickets.map((x) => x.status)).toEqual(['PENDING', 'PENDING']);
    expect(await seatStatuses(eventId, ['A1', 'A2'])).toEqual(['SOLD', 'SOLD']);
    expect(await callerFor(t.app).inventory.summary({ eventId })).toMatchObject({ sold: 2, available: 18 });
    // What the buyer reads back is what the purchase answered.
    expect(await callerFor(t.app, alice).orders.byId({ id: order.id })).toEqual(order);

    const mails = (await mailsSince(t, seen)).filter((m) => m.subject.includes(order.number));
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(new RegExp(`^Order ${order.number}: please pay \\$100\\.00 by `))]);
    const mail = await simpleParser(mails[0]!.raw);
    expect(mail.text).toContain(`with ${order.number} as the payment reference`);
    expect(mail.text).toContain(t.config.bankTransferDetails);
    expect(mail.text).toMatch(/To pay\s+\$100\.00/);
    // No tickets before the payment: a printed ticket of an unpaid order would not open the door.
    expect(mail.attachments).toEqual([]);
    expect(await mailJobs(order.id)).toEqual(['ORDER_PENDING']);
  });

  it('the deadline is never after the event starts, and paying later closes an hour before it', async () => {
    const soon = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER, payLaterDays: 10, startsAt: inDays(2) });
    const order = await buy(alice, soon.eventId, ['A1'], 'box_office');
    const startsAt = (await t.db.prisma.event.findUniqueOrThrow({ where: { id: soon.eventId } })).startsAt;
    expect(order.paymentDueAt).toBe(startsAt.toISOString());

    const tonight = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER, startsAt: new Date(Date.now() + 30 * 60_000).toISOString() });
    const before = await inventorySnapshot(t.db);
    const refused = await failure(buy(alice, tonight.eventId, ['A1'], 'bank_transfer'));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/pay/i);
    expect(await inventorySnapshot(t.db)).toEqual(before);
    // Paying now still works.
    expect((await buy(alice, tonight.eventId, ['A1'], 'instant')).status).toBe('PAID');
  });

  it('a way to pay the event does not offer is refused with the ones it does, and nothing changes', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: ['instant', 'box_office'] });
    const before = await inventorySnapshot(t.db);
    const refused = await failure(buy(alice, eventId, ['A1'], 'bank_transfer'));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.data).toMatchObject({ methods: ['instant', 'box_office'] });
    const unknown = await failure(
      callerFor(t.app, alice).tickets.purchase({
        eventId,
        seats: seats('A1'),
        idempotencyKey: crypto.randomUUID(),
        paymentMethod: 'cheque' as PaymentMethod,
      }),
    );
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(await inventorySnapshot(t.db)).toEqual(before);

    // An event that offers only paying later refuses paying now too.
    const onlyLater = await createEventWithSeats(t.db, { paymentMethods: ['box_office'] });
    expect((await failure(buy(alice, onlyLater.eventId, ['A1']))).code).toBe('BAD_REQUEST');
  });

  it('a retry with the same key returns the same pending order; the same key with another way to pay is refused', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const key = crypto.randomUUID();
    const order = await buy(alice, eventId, ['B1'], 'box_office', key);
    expect(await buy(alice, eventId, ['B1'], 'box_office', key)).toEqual(order);
    const before = await inventorySnapshot(t.db);
    expect((await failure(buy(alice, eventId, ['B1'], 'bank_transfer', key))).code).toBe('CONFLICT');
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect(await mailJobs(order.id)).toEqual(['ORDER_PENDING']);
  });

  it('an unpaid ticket does not open the door and cannot be printed', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const buyer = await createUser(t);
    const user = { id: buyer.id, role: 'CUSTOMER' as const, staffStatus: 'NONE' as const, sessionId: crypto.randomUUID() };
    const order = await buy(user, eventId, ['A7'], 'box_office');
    const scan = await callerFor(t.app, clerk).checkin.scan({ barcode: order.tickets[0]!.barcode });
    expect(scan).toMatchObject({ result: 'INVALID' });
    expect(JSON.stringify(scan)).toMatch(/not paid/i);
    expect((await t.db.prisma.issuedTicket.findUniqueOrThrow({ where: { barcode: order.tickets[0]!.barcode } })).status).toBe('PENDING');

    const { accessToken } = await signIn(t, buyer.email, buyer.password);
    const pdf = await fetch(`${t.url}/api/orders/${order.id}/tickets.pdf`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(pdf.status).toBe(409);
    expect(await pdf.text()).toMatch(/waits for its payment/);
  });
});

describe('orders.markPaid', () => {
  it('staff record the payment by the reference on the transfer, typed loosely: the tickets turn valid and go out by mail, once', async () => {
    const { eventId } = await createEventWithSeats(t.db, { name: 'Paid Up', paymentMethods: PAY_LATER });
    const order = await buy(alice, eventId, ['A3', 'A4'], 'bank_transfer');
    await t.app.deps.background.idle(); // the mail about paying is sent
    const seen = t.logs.length;
    // Banks drop dashes and change case: "tsr 7kq42m" is TSR-7KQ4-2M.
    const typed = order.number.toLowerCase().replace(/-/g, ' ');
    // The box office looks the order up by its number (scanned from the buyer's screen) to see what to take.
    const found = await callerFor(t.app, clerk).orders.list({ number: typed });
    expect(found.items.map((o) => [o.id, o.status, o.totalCents])).toEqual([[order.id, 'PENDING', 10000]]);
    expect((await callerFor(t.app, clerk).orders.list({ number: 'TSR-0000-00' })).items).toEqual([]);
    expect(await failure(callerFor(t.app, clerk).orders.list({ number: 'not a number' }))).toMatchObject({ code: 'BAD_REQUEST' });
    const paid = await callerFor(t.app, clerk).orders.markPaid({ reference: typed });

    expect(paid).toMatchObject({ id: order.id, status: 'PAID', paymentMethod: 'bank_transfer', paymentDueAt: order.paymentDueAt });
    expect(Date.parse(paid.paidAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(paid.tickets.map((x) => [x.barcode, x.status])).toEqual(order.tickets.map((x) => [x.barcode, 'VALID']));
    expect(await callerFor(t.app, alice).orders.byId({ id: order.id })).toEqual(paid);

    const mails = (await mailsSince(t, seen)).filter((m) => m.subject.includes(order.number));
    expect(mails.map((m) => m.subject)).toEqual([`Your tickets for Paid Up · ${order.number}`]);
    const mail = await simpleParser(mails[0]!.raw);
    expect(mail.text).toContain('your payment of $100.00 has arrived');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'text/calendar']);

    const audit = await auditOf(order.id);
    expect(audit.map((a) => a.type)).toEqual(['order_paid']);
    expect(audit[0]).toMatchObject({ actorId: clerk.id, detail: { number: order.number, amountCents: 10000, method: 'bank_transfer' } });

    // Recording it again (a second look at the bank statement) changes nothing and mails nothing.
    expect(await callerFor(t.app, clerk).orders.markPaid({ id: order.id })).toEqual(paid);
    expect(await mailJobs(order.id)).toEqual(['ORDER_PENDING', 'ORDER_CONFIRMED']);
    expect((await auditOf(order.id)).length).toBe(1);

    // Now the ticket opens the door.
    expect(await callerFor(t.app, clerk).checkin.scan({ barcode: order.tickets[0]!.barcode })).toMatchObject({ result: 'OK' });
  });

  it('signed out is 401, a customer is 403, and neither changes anything', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const order = await buy(alice, eventId, ['A5'], 'box_office');
    const before = await inventorySnapshot(t.db);
    expect((await failure(callerFor(t.app).orders.markPaid({ id: order.id }))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app, alice).orders.markPaid({ id: order.id }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app, bob).orders.markPaid({ reference: order.number }))).code).toBe('FORBIDDEN');
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('bad references, unknown orders and cancelled ones get clear errors and leave every row as it was', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const cancelled = await buy(alice, eventId, ['A6'], 'box_office');
    const seen = t.logs.length;
    await callerFor(t.app, alice).orders.cancel({ id: cancelled.id });
    const cancelMail = (await mailsSince(t, seen)).find((m) => m.subject === `Order ${cancelled.number} cancelled`);
    expect((await simpleParser(cancelMail!.raw)).text).toContain('Nothing was charged, so there is nothing to refund');

    const before = await inventorySnapshot(t.db);
    const staff = callerFor(t.app, clerk).orders;
    for (const input of [
      { reference: 'hello' },
      { reference: '' },
      { reference: 'TSR-7KQ4-2' },
      { id: 'not-a-uuid' },
      { id: cancelled.id, reference: cancelled.number },
      {},
    ]) {
      const refused = await failure(staff.markPaid(input as never));
      expect(refused.code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    expect((await failure(staff.markPaid({ reference: 'TSR-0000-00' }))).code).toBe('NOT_FOUND');
    expect((await failure(staff.markPaid({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    const refused = await failure(staff.markPaid({ id: cancelled.id }));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', 'This order was cancelled; it cannot be paid.']);
    // A paid-now order was never waiting: marking it paid answers it as it is.
    const instant = await buy(alice, eventId, ['A8']);
    const snapshot = await inventorySnapshot(t.db);
    expect(await staff.markPaid({ id: instant.id })).toEqual(instant);
    expect(await inventorySnapshot(t.db)).toEqual(snapshot);
    expect((await auditOf(cancelled.id)).map((a) => a.type)).toEqual(['order_cancel']);
    expect(before.orders.find((o) => o.id === cancelled.id)?.status).toBe('CANCELLED');
  });
});

describe('unpaid orders lapse', () => {
  it('past the deadline the sweep expires the order: seats back on sale, tickets void, the buyer mailed, the audit written; paying it after is refused', async () => {
    const { eventId } = await createEventWithSeats(t.db, { name: 'Lapsing', paymentMethods: PAY_LATER });
    const order = await buy(alice, eventId, ['B5', 'B6'], 'bank_transfer');
    const notYet = await buy(bob, eventId, ['B7'], 'box_office');
    await overdue(order.id);
    await t.app.deps.background.idle(); // the mails about paying are sent
    const seen = t.logs.length;

    expect(await expireUnpaidOrders(t.app.deps)).toBe(1);
    t.app.deps.outbox.kick();
    const expired = await callerFor(t.app, alice).orders.byId({ id: order.id });
    expect(expired).toMatchObject({ status: 'EXPIRED', cancelledAt: expect.any(String), paidAt: null });
    expect(expired.tickets.map((x) => x.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await seatStatuses(eventId, ['B5', 'B6', 'B7'])).toEqual(['AVAILABLE', 'AVAILABLE', 'SOLD']);
    expect((await callerFor(t.app, bob).orders.byId({ id: notYet.id })).status).toBe('PENDING');

    const mails = (await mailsSince(t, seen)).filter((m) => m.subject.includes(order.number));
    expect(mails.map((m) => m.subject)).toEqual([`Order ${order.number} lapsed unpaid`]);
    expect((await simpleParser(mails[0]!.raw)).text).toContain('its seats are back on sale');
    const audit = await auditOf(order.id);
    expect(audit.map((a) => a.type)).toEqual(['order_expire']);
    expect(audit[0]).toMatchObject({ actorId: null, detail: { number: order.number, before: { status: 'PENDING' }, after: { status: 'EXPIRED' } } });

    // The seats sell again; the late payment is refused and the order stays as it is.
    expect((await buy(bob, eventId, ['B5'])).status).toBe('PAID');
    const before = await inventorySnapshot(t.db);
    const late = await failure(callerFor(t.app, clerk).orders.markPaid({ reference: order.number }));
    expect(late.code).toBe('CONFLICT');
    expect(late.message).toMatch(/expired/);
    expect(await callerFor(t.app, alice).orders.cancel({ id: order.id })).toEqual(expired);
    expect(await inventorySnapshot(t.db)).toEqual(before);
    expect(await expireUnpaidOrders(t.app.deps)).toBe(0);
  });

  it('a payment recorded after the deadline but before the sweep wins, and is marked late in the audit', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const order = await buy(alice, eventId, ['A9'], 'box_office');
    await overdue(order.id);
    expect((await callerFor(t.app, clerk).orders.markPaid({ id: order.id })).status).toBe('PAID');
    expect(await expireUnpaidOrders(t.app.deps)).toBe(0);
    expect((await auditOf(order.id))[0]).toMatchObject({ type: 'order_paid', detail: { afterDeadline: true } });
  });

  it('a payment and the sweep racing for one order: exactly one wins, and the seats agree with the order', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER, rows: [['R', 40]] });
    const outcomes = new Set<string>();
    for (let i = 1; i <= 12; i++) {
      const order = await buy(alice, eventId, [`R${i}`], 'bank_transfer');
      await overdue(order.id);
      const [paid, swept] = await Promise.allSettled([callerFor(t.app, clerk).orders.markPaid({ id: order.id }), expireUnpaidOrders(t.app.deps)]);
      const status = (await t.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status;
      const [seat] = await seatStatuses(eventId, [`R${i}`]);
      const issued = await t.db.prisma.issuedTicket.findMany({ where: { orderId: order.id }, select: { status: true } });
      if (paid.status === 'fulfilled') {
        expect(swept).toEqual({ status: 'fulfilled', value: 0 });
        expect([status, seat, issued[0]!.status]).toEqual(['PAID', 'SOLD', 'VALID']);
        expect(await mailJobs(order.id)).toEqual(['ORDER_PENDING', 'ORDER_CONFIRMED']);
      } else {
        expect(swept).toEqual({ status: 'fulfilled', value: 1 });
        expect([status, seat, issued[0]!.status]).toEqual(['EXPIRED', 'AVAILABLE', 'CANCELLED']);
        expect(await mailJobs(order.id)).toEqual(['ORDER_PENDING', 'ORDER_EXPIRED']);
      }
      outcomes.add(status);
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it('two sweeps at once expire each order once', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const orders = [];
    for (const label of ['A1', 'A2', 'A3', 'A4', 'A5', 'A6']) orders.push(await buy(bob, eventId, [label], 'box_office'));
    for (const order of orders) await overdue(order.id);
    const [a, b] = await Promise.all([expireUnpaidOrders(t.app.deps, 2), expireUnpaidOrders(t.app.deps, 2)]);
    expect(a + b).toBe(6);
    for (const order of orders) {
      expect(await mailJobs(order.id)).toEqual(['ORDER_PENDING', 'ORDER_EXPIRED']);
      expect((await auditOf(order.id)).map((x) => x.type)).toEqual(['order_expire']);
    }
    expect(await callerFor(t.app).inventory.summary({ eventId })).toMatchObject({ sold: 0, available: 20 });
  });
});

describe('the sales report counts money', () => {
  it('an unpaid order is not revenue; once paid it is; cancelled unpaid is no refund', async () => {
    const { eventId } = await createEventWithSeats(t.db, { paymentMethods: PAY_LATER });
    const report = () => callerFor(t.app, clerk).admin.sales.report({ eventId });
    const paidNow = await buy(alice, eventId, ['A1']);
    const waiting = await buy(alice, eventId, ['A2', 'A3'], 'bank_transfer');
    const dropped = await buy(bob, eventId, ['A4'], 'box_office');
    await callerFor(t.app, bob).orders.cancel({ id: dropped.id });
    expect((await report()).totals).toMatchObject({
      orders: 1,
      cancelledOrders: 0,
      ticketsSold: 1,
      revenueCents: paidNow.totalCents,
      refundedCents: 0,
    });

    await callerFor(t.app, clerk).orders.markPaid({ reference: waiting.number });
    expect((await report()).totals).toMatchObject({
      orders: 2,
      cancelledOrders: 0,
      ticketsSold: 3,
      revenueCents: paidNow.totalCents + waiting.totalCents,
      grossCents: 15000,
      refundedCents: 0,
      netCents: 15000,
    });
  });
});
