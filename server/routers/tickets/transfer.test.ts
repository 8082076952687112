import crypto from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure, inventorySnapshot, seats } from '../../../test/inventory-fixtures.js';
import { mailsSince } from '../../../test/mail.js';
import { setupTestApp } from '../../../test/setup-app.js';
import type { PaymentMethod } from '../../../shared/orders.js';
import type { AuthUser } from '../../trpc/context.js';
import { orderTicketsPdf } from '../../services/tickets/order-pdf.js';

const {
  t,
  users: [alice, bob, carol, clerk],
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'CUSTOMER', 'STAFF']);

const api = (user: AuthUser | null) => callerFor(t.app, user);
const emailOf = async (user: AuthUser) => (await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true } })).email;
const buy = (user: AuthUser, eventId: string, labels: string[], paymentMethod?: PaymentMethod) =>
  api(user).tickets.purchase({
    eventId,
    seats: seats(...labels),
    idempotencyKey: crypto.randomUUID(),
    ...(paymentMethod ? { paymentMethod } : {}),
  });
const barcodeOf = (order: { tickets: Array<{ row: string; number: number; barcode: string }> }, label: string) => {
  const [seat] = seats(label);
  return order.tickets.find((x) => x.row === seat!.row && x.number === seat!.number)!.barcode;
};
/** The claim link's token from the mail sent to `to` since log line `after`. */
const tokenMailedTo = async (to: string, after: number) => {
  const mail = (await mailsSince(t, after)).filter((m) => m.to === to && m.subject.includes('sent you a ticket')).at(-1);
  expect(mail?.link).toMatch(/\/transfer\?token=/);
  return new URL(mail!.link!).searchParams.get('token')!;
};
/** Alice buys A1 and A2 of a new event and sends A1 to Bob: the order, the claim token, the log line before. */
async function sentToBob(options: { name?: string } = {}) {
  const { eventId } = await createEventWithSeats(t.db, { name: options.name ?? `Transfer ${crypto.randomUUID().slice(0, 6)}` });
  const order = await buy(alice, eventId, ['A1', 'A2']);
  await t.app.deps.background.idle();
  const before = t.logs.length;
  await api(alice).tickets.transfer({ barcode: barcodeOf(order, 'A1'), email: await emailOf(bob) });
  return { eventId, order, token: await tokenMailedTo(await emailOf(bob), before), before };
}

describe('ticket transfer', () => {
  it('sends a ticket, the recipient claims it: a new barcode, the old one dead, both mailed, the audit log has both steps', async () => {
    const { eventId } = await createEventWithSeats(t.db, { name: 'Passing Night' });
    const order = await buy(alice, eventId, ['A1', 'A2']);
    await t.app.deps.background.idle();
    const oldBarcode = barcodeOf(order, 'A1');
    const bobEmail = await emailOf(bob);
    const seen = t.logs.length;

    const sent = await api(alice).tickets.transfer({ barcode: oldBarcode, email: ` ${bobEmail.toUpperCase()} ` });
    expect(sent).toMatchObject({ mailed: true, transfer: { email: bobEmail, state: 'PENDING' } });
    const token = await tokenMailedTo(bobEmail, seen);
    const offer = (await mailsSince(t, seen)).find((m) => m.to === bobEmail)!;
    expect(offer.subject).toMatch(/sent you a ticket for Passing Night/);
    expect(offer.raw).not.toContain(oldBarcode);

    // Until it is claimed the ticket is Alice's, and says it is on its way.
    const mine = (await api(alice).orders.byId({ id: order.id })).tickets;
    expect(mine.map((x) => [x.row + x.number, x.status, x.barcode === barcodeOf(order, x.row + x.number), x.transfer?.state ?? null])).toEqual([
      ['A1', 'VALID', true, 'PENDING'],
      ['A2', 'VALID', true, null],
    ]);
    expect(mine.every((x) => x.transferable)).toBe(true);

    // Anyone with the link sees what it is; nobody but Bob may claim it.
    expect(await api(null).tickets.transferPreview({ token })).toMatchObject({
      eventId,
      eventName: 'Passing Night',
      row: 'A',
      number: 1,
      tierName: 'Standard',
      email: bobEmail,
      state: 'PENDING',
    });
    const before = await inventorySnapshot(t.db);
    const wrong = await failure(api(carol).tickets.claimTransfer({ token }));
    expect(wrong.code).toBe('FORBIDDEN');
    expect(wrong.message).toContain(bobEmail);
    expect(await inventorySnapshot(t.db)).toEqual(before);

    const claimed = await api(bob).tickets.claimTransfer({ token });
    expect(claimed).toMatchObject({ row: 'A', number: 1, status: 'VALID', orderId: order.id, transfer: null, transferable: true });
    expect(claimed.receivedFrom).toBeTruthy();
    expect(claimed.barcode).not.toBe(oldBarcode);
    // Claiming again answers the same ticket; the preview says it is claimed.
    expect(await api(bob).tickets.claimTransfer({ token })).toEqual(claimed);
    expect((await api(null).tickets.transferPreview({ token })).state).toBe('CLAIMED');

    // Bob holds it (not the order); Alice sees it passed on under the barcode she had.
    expect((await api(bob).tickets.mine()).filter((x) => x.orderId === order.id).map((x) => [x.row + x.number, x.barcode, x.status])).toEqual([
      ['A1', claimed.barcode, 'VALID'],
    ]);
    expect(await api(bob).orders.mine()).toEqual([]);
    const after = (await api(alice).orders.mine()).find((o) => o.id === order.id)!;
    expect(after.tickets.map((x) => [x.row + x.number, x.status, x.barcode])).toEqual([
      ['A1', 'TRANSFERRED', oldBarcode],
      ['A2', 'VALID', barcodeOf(order, 'A2')],
    ]);
    expect(after.tickets[0]).toMatchObject({ transferable: false, transfer: { state: 'CLAIMED', email: bobEmail } });
    expect(JSON.stringify(await api(alice).tickets.mine())).not.toContain(claimed.barcode);
    // Staff see the ticket as it is.
    const staffView = await api(clerk).orders.byId({ id: order.id });
    expect(staffView.tickets[0]).toMatchObject({ barcode: claimed.barcode, status: 'VALID', transfer: { state: 'CLAIMED' } });

    // Both are mailed: Bob the ticket (PDF and calendar), Alice that it left her.
    const mails = (await mailsSince(t, seen)).filter((m) => !m.subject.includes('sent you a ticket'));
    const aliceEmail = await emailOf(alice);
    expect(mails.map((m) => [m.to, m.subject]).sort()).toEqual(
      [
        [aliceEmail, `Your ticket for Passing Night was claimed by ${bobEmail}`],
        [bobEmail, 'Your ticket for Passing Night · row A, seat 1'],
      ].sort(),
    );
    const received = await simpleParser(mails.find((m) => m.to === bobEmail)!.raw);
    expect(received.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'text/calendar']);

    // The buyer can no longer cancel (that would take Bob's ticket).
    const cancel = await failure(api(alice).orders.cancel({ id: order.id }));
    expect(cancel).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/passed on/) });

    // At the door: the old barcode is refused with the reason, the new one admits.
    const door = api(clerk).checkin;
    expect(await door.scan({ barcode: oldBarcode })).toMatchObject({ result: 'INVALID', reason: expect.stringMatching(/passed on/) });
    expect(await door.scan({ barcode: claimed.barcode })).toMatchObject({ result: 'OK' });

    // Printing: Bob prints his seat of Alice's order, Alice no longer can.
    const pdf = await orderTicketsPdf(t.app.deps, { orderId: order.id, viewerId: bob.id, staff: false, seat: null });
    expect(pdf.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      (await failure(orderTicketsPdf(t.app.deps, { orderId: order.id, viewerId: alice.id, staff: false, seat: seats('A1')[0]! }))).message,
    ).toMatch(/no ticket for that seat/);
    await expect(orderTicketsPdf(t.app.deps, { orderId: order.id, viewerId: carol.id, staff: false, seat: null })).rejects.toThrow(/Order not found/);

    const audit = await t.db.prisma.authEvent.findMany({
      where: { orderId: order.id, type: { startsWith: 'ticket_transfer' } },
      orderBy: { createdAt: 'asc' },
      select: { type: true, userId: true, actorId: true, detail: true },
    });
    expect(audit).toEqual([
      { type: 'ticket_transfer_send', userId: alice.id, actorId: null, detail: { transferId: sent.transfer.id, seat: 'A-1', to: bobEmail } },
      {
        type: 'ticket_transfer_claim',
        userId: bob.id,
        actorId: null,
        detail: { transferId: sent.transfer.id, seat: 'A-1', before: { holderId: alice.id }, after: { holderId: bob.id } },
      },
    ]);
  });

  it('refuses what may not be sent, changing nothing and mailing nobody', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const order = await buy(alice, eventId, ['A1', 'A2', 'A3']);
    const pending = await createEventWithSeats(t.db, { paymentMethods: ['bank_transfer'] });
    const unpaid = await buy(alice, pending.eventId, ['A1'], 'bank_transfer');
    await api(clerk).checkin.scan({ barcode: barcodeOf(order, 'A3') });
    await t.app.deps.background.idle();
    const seen = t.logs.length;
    const before = await inventorySnapshot(t.db);
    const bobEmail = await emailOf(bob);
    const send = (user: AuthUser, barcode: string, email = bobEmail) => failure(api(user).tickets.transfer({ barcode, email }));

    expect(await send(carol, barcodeOf(order, 'A1'))).toMatchObject({ code: 'NOT_FOUND', message: 'Ticket not found.' });
    expect(await send(alice, 'NOSUCHBARCODE')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await send(alice, barcodeOf(order, 'A1'), await emailOf(alice))).toMatchObject({
      code: 'BAD_REQUEST',
      data: { fieldErrors: { email: [expect.any(String)] } },
    });
    expect(await send(alice, barcodeOf(order, 'A1'), 'not-an-address')).toMatchObject({
      code: 'BAD_REQUEST',
      data: { fieldErrors: { email: [expect.any(String)] } },
    });
    expect(await send(alice, barcodeOf(order, 'A3'))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already used/) });
    expect(await send(alice, barcodeOf(unpaid, 'A1'))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/not paid/) });
    expect(await failure(api(null).tickets.transfer({ barcode: barcodeOf(order, 'A1'), email: bobEmail }))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await failure(api(null).tickets.transferPreview({ token: 'x'.repeat(43) }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(api(bob).tickets.claimTransfer({ token: 'x'.repeat(43) }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(api(bob).tickets.cancelTransfer({ id: crypto.randomUUID() }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await inventorySnapshot(t.db)).toEqual(before);

    // Staff switch transfers off for the event: sending is refused, and the tickets say so.
    await api(clerk).events.update({ id: eventId, transfersAllowed: false });
    expect(await send(alice, barcodeOf(order, 'A1'))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/does not allow/) });
    expect((await api(alice).orders.byId({ id: order.id })).tickets.map((x) => x.transferable)).toEqual([false, false, false]);
    expect(await t.db.prisma.ticketTransfer.count({ where: { ticket: { orderId: order.id } } })).toBe(0);
    expect((await mailsSince(t, seen)).filter((m) => m.to === bobEmail)).toEqual([]);
  });

  it('a sender takes a transfer back or sends it again: the older link stops working', async () => {
    const { order, token } = await sentToBob();
    const bobEmail = await emailOf(bob);
    const [first] = (await api(alice).orders.byId({ id: order.id })).tickets;
    // Someone else cannot take it back.
    expect(await failure(api(carol).tickets.cancelTransfer({ id: first!.transfer!.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await api(alice).tickets.cancelTransfer({ id: first!.transfer!.id })).toEqual({ ok: true });
    expect((await api(null).tickets.transferPreview({ token })).state).toBe('CANCELLED');
    expect(await failure(api(bob).tickets.claimTransfer({ token }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/took this ticket back/),
    });

    // Sent again, twice: only the newest link works.
    const seen = t.logs.length;
    await api(alice).tickets.transfer({ barcode: barcodeOf(order, 'A1'), email: await emailOf(carol) });
    const carolToken = await tokenMailedTo(await emailOf(carol), seen);
    await api(alice).tickets.transfer({ barcode: barcodeOf(order, 'A1'), email: bobEmail });
    const bobToken = await tokenMailedTo(bobEmail, seen);
    expect(await failure(api(carol).tickets.claimTransfer({ token: carolToken }))).toMatchObject({ code: 'CONFLICT' });
    expect((await api(bob).tickets.claimTransfer({ token: bobToken })).status).toBe('VALID');
    // Claimed: too late to take back.
    const open = await t.db.prisma.ticketTransfer.findFirstOrThrow({
      where: { status: 'CLAIMED', ticket: { orderId: order.id } },
      select: { id: true },
    });
    expect(await failure(api(alice).tickets.cancelTransfer({ id: open.id }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('a link dies with the ticket: refunded, or transfers switched off before the claim', async () => {
    const refunded = await sentToBob();
    await api(clerk).orders.refundTickets({ id: refunded.order.id, barcodes: [barcodeOf(refunded.order, 'A1')] });
    expect((await api(null).tickets.transferPreview({ token: refunded.token })).state).toBe('CANCELLED');
    expect(await failure(api(bob).tickets.claimTransfer({ token: refunded.token }))).toMatchObject({ code: 'CONFLICT' });

    const off = await sentToBob();
    await api(clerk).events.update({ id: off.eventId, transfersAllowed: false });
    const before = await inventorySnapshot(t.db);
    expect(await failure(api(bob).tickets.claimTransfer({ token: off.token }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/does not allow/),
    });
    expect(await inventorySnapshot(t.db)).toEqual(before);
  });

  it('a ticket passed on again: each sender sees it passed on under the barcode they had', async () => {
    const { order, token } = await sentToBob();
    const bobs = await api(bob).tickets.claimTransfer({ token });
    const seen = t.logs.length;
    await api(bob).tickets.transfer({ barcode: bobs.barcode, email: await emailOf(carol) });
    const carols = await api(carol).tickets.claimTransfer({ token: await tokenMailedTo(await emailOf(carol), seen) });
    expect(new Set([barcodeOf(order, 'A1'), bobs.barcode, carols.barcode]).size).toBe(3);
    const of = (list: Array<{ orderId: string; status: string; barcode: string }>) =>
      list.filter((x) => x.orderId === order.id).map((x) => [x.status, x.barcode]);
    expect(of(await api(bob).tickets.mine())).toEqual([['TRANSFERRED', bobs.barcode]]);
    expect((await api(alice).orders.byId({ id: order.id })).tickets[0]).toMatchObject({ status: 'TRANSFERRED', barcode: barcodeOf(order, 'A1') });
    expect(of(await api(carol).tickets.mine())).toEqual([['VALID', carols.barcode]]);
    // Bob's mail with the ticket, if it was still queued, would not carry Carol's barcode.
    const mails = await mailsSince(t, seen);
    expect(mails.filter((m) => m.raw.includes(carols.barcode)).map((m) => m.to)).toEqual([]);
  });

  it('staff refund or cancel tickets someone holds by a transfer: the holder is mailed too, the buyer refunded', async () => {
    const bobEmail = await emailOf(bob);
    const refund = await sentToBob({ name: 'Refunded Night' });
    await api(bob).tickets.claimTransfer({ token: refund.token });
    await t.app.deps.background.idle();
    let seen = t.logs.length;
    const bobs = (await api(clerk).orders.byId({ id: refund.order.id })).tickets[0]!;
    await api(clerk).orders.refundTickets({ id: refund.order.id, barcodes: [bobs.barcode] });
    let mails = await mailsSince(t, seen);
    expect(mails.find((m) => m.to === bobEmail)?.subject).toBe('Your ticket for Refunded Night was cancelled');
    expect(mails.find((m) => m.to === bobEmail)?.raw).toMatch(/row A, seat 1/);
    const aliceEmail = await emailOf(alice);
    expect(mails.find((m) => m.to === aliceEmail)?.subject).toMatch(/1 ticket refunded/);
    expect((await api(bob).tickets.mine()).find((x) => x.orderId === refund.order.id)?.status).toBe('CANCELLED');

    const cancel = await sentToBob({ name: 'Cancelled Night' });
    await api(bob).tickets.claimTransfer({ token: cancel.token });
    await t.app.deps.background.idle();
    seen = t.logs.length;
    await api(clerk).orders.cancel({ id: cancel.order.id });
    mails = await mailsSince(t, seen);
    expect(mails.filter((m) => m.to === bobEmail).map((m) => m.subject)).toEqual(['Your ticket for Cancelled Night was cancelled']);
  });

  it('a claim and a door scan of the old barcode at once: exactly one wins', async () => {
    for (let round = 0; round < 6; round++) {
      const { order, token } = await sentToBob();
      const old = barcodeOf(order, 'A1');
      const [claim, scan] = await Promise.allSettled([api(bob).tickets.claimTransfer({ token }), api(clerk).checkin.scan({ barcode: old })]);
      const admitted = scan.status === 'fulfilled' && scan.value.result === 'OK';
      const claimed = claim.status === 'fulfilled';
      expect(admitted !== claimed).toBe(true);
      const ticket = await t.db.prisma.issuedTicket.findFirstOrThrow({ where: { orderId: order.id, rowName: 'A', seatNumber: 1 } });
      expect(ticket.status).toBe(claimed ? 'VALID' : 'CHECKED_IN');
      expect(ticket.holderId).toBe(claimed ? bob.id : null);
    }
  });

  it('two claims of one link at once by its recipient: one change of hands, the same ticket to both', async () => {
    const { order, token } = await sentToBob();
    const [a, b] = await Promise.all([api(bob).tickets.claimTransfer({ token }), api(bob).tickets.claimTransfer({ token })]);
    expect(a).toEqual(b);
    expect(await t.db.prisma.authEvent.count({ where: { orderId: order.id, type: 'ticket_transfer_claim' } })).toBe(1);
    expect(await t.db.prisma.mailJob.count({ where: { orderId: order.id, kind: 'TRANSFER_RECEIVED' } })).toBe(1);
  });
});
