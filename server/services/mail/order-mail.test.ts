import crypto from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../../test/app.js';
import { createEventWithSeats, seats } from '../../../test/inventory-fixtures.js';
import { mailsSince } from '../../../test/mail.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { createUser } from '../../../test/users.js';
import { createMailer } from '../../lib/mail.js';
import { MAX_MAIL_ATTEMPTS, sendDueMail } from './outbox.js';

const {
  t,
  users: [buyer, staff],
} = setupTestApp(['CUSTOMER', 'STAFF']);

async function pdfText(content: Buffer): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(content));
  const { text } = await extractText(pdf, { mergePages: false });
  return text;
}

async function buy(app: TestApp, userId: string, eventId: string, labels: string[]) {
  const user = { id: userId, role: 'CUSTOMER' as const, staffStatus: 'NONE' as const, sessionId: crypto.randomUUID() };
  return callerFor(app.app, user).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID() });
}

describe('order mail', () => {
  it('a purchase mails its confirmation after the commit: order number, seats, prices, total, the tickets as a PDF and an .ics file', async () => {
    const { eventId } = await createEventWithSeats(t.db, {
      name: 'Lumen Quartet Live',
      venue: 'Harbour Hall',
      discounts: [{ minQuantity: 2, percentOff: 10 }],
    });
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { id: buyer.id } });
    const seen = t.logs.length;
    const order = await buy(t, buyer.id, eventId, ['A5', 'A6']);
    expect(order.number).toMatch(/^TSR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);

    const mails = (await mailsSince(t, seen)).filter((m) => m.to === user.email);
    expect(mails.map((m) => m.subject)).toEqual([`Your tickets for Lumen Quartet Live · ${order.number}`]);
    const mail: ParsedMail = await simpleParser(mails[0]!.raw);
    expect(mail.text).toContain(`Order ${order.number}`);
    expect(mail.text).toContain('Harbour Hall');
    expect(mail.text).toMatch(/Row A, seat 5 · Standard\s+\$50\.00/);
    expect(mail.text).toMatch(/Group discount\s+−\$10\.00/);
    expect(mail.text).toMatch(/Total paid\s+\$90\.00/);
    expect(mail.text).toContain(`/tickets?order=${order.id}`);
    // The HTML says the same, escaped.
    expect(mail.html).toContain(order.number);
    expect(mail.html).toContain('$90.00');

    const [pdf, ics] = mail.attachments;
    expect([pdf?.filename, pdf?.contentType]).toEqual([`tickets-${order.number}.pdf`, 'application/pdf']);
    const pages = await pdfText(pdf!.content);
    expect(pages).toHaveLength(2);
    for (const [i, ticket] of order.tickets.entries()) {
      expect(pages[i]).toContain('Lumen Quartet Live');
      expect(pages[i]).toContain(ticket.barcode);
      expect(pages[i]).toContain(`Order ${order.number}`);
      expect(pages[i]).toContain(String(ticket.number));
    }
    expect(ics?.filename).toBe(`${order.number}.ics`);
    const calendar = ics!.content.toString('utf8');
    expect(calendar).toContain('SUMMARY:Lumen Quartet Live');
    expect(calendar).toContain('LOCATION:Harbour Hall');
    const start = new Date(order.tickets[0]!.startsAt)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    expect(calendar).toContain(`DTSTART:${start}`);

    expect(await t.db.prisma.mailJob.findMany({ where: { orderId: order.id }, select: { kind: true, status: true, attempts: true } })).toEqual([
      { kind: 'ORDER_CONFIRMED', status: 'SENT', attempts: 1 },
    ]);
  });

  it('a cancellation mails the refund, and its tickets are named without codes', async () => {
    const { eventId } = await createEventWithSeats(t.db, { name: 'Refund Night' });
    const order = await buy(t, buyer.id, eventId, ['B2']);
    await mailsSince(t);
    const seen = t.logs.length;
    await callerFor(t.app, staff).orders.cancel({ id: order.id });
    const mails = await mailsSince(t, seen);
    expect(mails.map((m) => m.subject)).toEqual([`Order ${order.number} cancelled · $50.00 refunded`]);
    const mail = await simpleParser(mails[0]!.raw);
    expect(mail.text).toMatch(/Refunded\s+\$50\.00/);
    expect(mail.text).not.toContain(order.tickets[0]!.barcode);
    expect(mail.attachments).toEqual([]);
    // Cancelling again changes nothing and mails nothing.
    await callerFor(t.app, staff).orders.cancel({ id: order.id });
    expect(await mailsSince(t, seen)).toHaveLength(1);
  });
});

describe('the mail outbox', () => {
  let broken: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 9 here: every send fails as a refused SMTP connection.
    broken = await startTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:9' } });
  });
  afterAll(() => broken.close());

  it('a failed send is logged and retried; the order is kept, and the mail goes out once the mail server answers', async () => {
    const user = await createUser(broken);
    const { eventId } = await createEventWithSeats(broken.db);
    const order = await buy(broken, user.id, eventId, ['A1']);
    await broken.app.deps.background.idle();
    expect(await broken.db.prisma.order.findUniqueOrThrow({ where: { id: order.id }, select: { status: true } })).toEqual({ status: 'PAID' });
    const job = await broken.db.prisma.mailJob.findFirstOrThrow({ where: { orderId: order.id } });
    expect([job.status, job.attempts]).toEqual(['PENDING', 1]);
    expect(job.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(job.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    const warning = broken.logs.find((l) => l.msg === 'order mail could not be sent; will retry' && l.orderId === order.id);
    expect(warning).toMatchObject({ attempts: 1, retryInSeconds: 30 });
    // Nothing of the mail's content (the ticket codes) is in the logs.
    expect(JSON.stringify(broken.logs)).not.toContain(order.tickets[0]!.barcode);

    // Not due yet: a run sends nothing.
    expect(await sendDueMail(broken.app.deps)).toEqual({ sent: 0, failed: 0 });
    // Time passes and the mail server answers again.
    await broken.db.prisma.mailJob.update({ where: { id: job.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    const mailer = createMailer({ smtpUrl: null, mailDir: broken.config.mailDir, log: broken.app.log });
    expect(await sendDueMail({ ...broken.app.deps, mailer })).toEqual({ sent: 1, failed: 0 });
    expect(
      await broken.db.prisma.mailJob.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, attempts: true, lastError: true } }),
    ).toEqual({
      status: 'SENT',
      attempts: 2,
      lastError: null,
    });
    const sent = broken.logs.filter((l) => l.msg === 'mail written to file' && l.to === user.email);
    expect(sent.map((l) => l.subject)).toEqual([`Your tickets for ${order.eventName} · ${order.number}`]);
  });

  it('a stopping instance leaves unsent mail queued, unclaimed, for the next one', async () => {
    const db = broken.db;
    const other = await startTestApp({ db });
    const user = await createUser(other);
    const { eventId } = await createEventWithSeats(db);
    const order = await buy(other, user.id, eventId, ['B1']);
    await other.app.deps.background.idle();
    await db.prisma.mailJob.createMany({ data: Array.from({ length: 40 }, () => ({ kind: 'ORDER_CONFIRMED' as const, orderId: order.id })) });
    other.app.deps.outbox.kick();
    await other.close();
    const left = await db.prisma.mailJob.findMany({ where: { orderId: order.id, status: 'PENDING' }, select: { attempts: true } });
    // Paced sending had not got through 40 mails: what is left was never claimed, so no lease holds it back.
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((j) => j.attempts === 0)).toBe(true);
    await db.prisma.mailJob.deleteMany({ where: { orderId: order.id } });
  });

  it(`gives up after ${MAX_MAIL_ATTEMPTS} tries and says so in the log as an error`, async () => {
    const user = await createUser(broken);
    const { eventId } = await createEventWithSeats(broken.db);
    const order = await buy(broken, user.id, eventId, ['A2']);
    await broken.app.deps.background.idle();
    await broken.db.prisma.mailJob.updateMany({
      where: { orderId: order.id },
      data: { attempts: MAX_MAIL_ATTEMPTS - 1, nextAttemptAt: new Date(0) },
    });
    expect(await sendDueMail(broken.app.deps)).toEqual({ sent: 0, failed: 1 });
    expect(await broken.db.prisma.mailJob.findFirstOrThrow({ where: { orderId: order.id }, select: { status: true, attempts: true } })).toEqual({
      status: 'FAILED',
      attempts: MAX_MAIL_ATTEMPTS,
    });
    expect(broken.logs.some((l) => l.msg === 'order mail could not be sent; given up' && l.orderId === order.id && l.level === 50)).toBe(true);
  });
});
