import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { login, mailTo, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/** Paying later by bank transfer: the order waits with its reference, the box office records the transfer, the tickets follow. */
let server: TestServer;
let browser: Browser;
let shopperContext: BrowserContext;
let staffContext: BrowserContext;
let shopperPage: Page;
let staffPage: Page;
let mailDir: string;
let eventId = '';
let number = '';
const EVENT = 'Harbour Lights';
const shopper = { name: 'Pat Later', email: uniqueEmail('paylater'), password: 'transfer-me-later-9' };

beforeAll(async () => {
  if (!browserAvailable) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-pay-later-'));
  mailDir = path.join(tmp, 'mail');
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data') });
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, {
    name: EVENT,
    rows: 2,
    seatsPerRow: 10,
    tiers: [{ name: 'Stalls', priceCents: 3000 }],
    paymentMethods: ['instant', 'bank_transfer'],
  });
  browser = await launchBrowser();
  shopperContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  staffContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  shopperPage = await shopperContext.newPage();
  staffPage = await staffContext.newPage();
});

afterAll(async () => {
  await shopperContext?.close();
  await staffContext?.close();
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('paying later by bank transfer', () => {
  it('a shopper orders two seats to pay by transfer: no codes yet, the reference and deadline shown and mailed', async () => {
    const page = shopperPage;
    await register(page, server.url, shopper);
    await page.goto(`${server.url}/events/${eventId}`);
    const best = page.getByRole('form', { name: 'Best available' });
    await best.getByLabel('Seats').selectOption('2');
    await best.getByRole('button', { name: 'Find the best 2 seats together' }).click();
    await page.getByText('2 seats held for you').waitFor();
    await page.getByRole('button', { name: 'Buy these 2 seats' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();

    const methods = page.getByRole('group', { name: 'How would you like to pay?' });
    expect(await methods.getByLabel('Pay now').isChecked()).toBe(true);
    await methods.getByLabel('Pay by bank transfer').check();
    await page.getByText('Nothing is charged now.', { exact: false }).waitFor();
    await expectAccessible(page, 'the checkout with ways to pay');
    await shot(page, 'checkout-pay-later');
    await page.getByLabel('These details are right').check();
    await page.getByRole('button', { name: 'Place order · $60.00' }).click();
    await page.waitForURL(/\/tickets\?order=/);

    const order = page.locator('article.order');
    await order.getByText('Awaiting payment', { exact: true }).first().waitFor();
    await order.getByText('To pay $60.00').waitFor();
    expect(await page.getByRole('img', { name: /^QR code/ }).count()).toBe(0);
    expect(await page.getByText('The QR code comes once the order is paid.').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Download tickets (PDF)' }).count()).toBe(0);
    number = (await order.locator('.pay-later .order-number').textContent()) ?? '';
    expect(number).toMatch(/^TSR-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    await shot(page, 'tickets-awaiting-payment');

    const mail = await mailTo(mailDir, shopper.email, /please pay/);
    expect(mail.subject).toMatch(new RegExp(`^Order ${number}: please pay \\$60\\.00 by `));
    expect(mail.text).toContain(`with ${number} as the payment reference`);
    expect(mail.text).toContain('IBAN');
    expect(mail.attachments).toHaveLength(0);
  });

  it('the box office records the transfer by the reference as the bank wrote it; the shopper gets the tickets', async () => {
    const page = staffPage;
    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/staff/orders');
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: number });
    await row.getByText('Awaiting payment').waitFor();
    await shot(page, 'staff-orders-awaiting-payment');

    // A reference that is not an order number is refused beside the field, and nothing changes.
    const form = page.getByRole('region', { name: 'Record a payment' });
    await form.getByLabel('Payment reference').fill('TSR-0000-00');
    await form.getByRole('button', { name: 'Mark paid' }).click();
    await form.getByText('No order has this reference.').waitFor();
    await row.getByText('Awaiting payment').waitFor();

    // As a bank statement might show it: lower case, spaces for dashes.
    await form.getByLabel('Payment reference').fill(number.toLowerCase().replace(/-/g, ' '));
    await form.getByRole('button', { name: 'Mark paid' }).click();
    await page.getByText(`Order ${number} is paid: $60.00.`, { exact: false }).waitFor();
    await row.getByText('Paid', { exact: true }).waitFor();
    expect(await form.getByLabel('Payment reference').inputValue()).toBe('');
    await expectAccessible(page, 'staff orders after recording a payment');

    const mail = await mailTo(mailDir, shopper.email, /^Your tickets for/);
    expect(mail.subject).toBe(`Your tickets for ${EVENT} · ${number}`);
    expect(mail.text).toContain('your payment of $60.00 has arrived');
    expect(mail.attachments.map((a) => a.contentType)).toContain('application/pdf');

    await shopperPage.reload();
    await shopperPage.locator('article.order').getByText('Paid', { exact: true }).waitFor();
    expect(await shopperPage.getByRole('img', { name: /^QR code/ }).count()).toBe(2);
    await shopperPage.getByRole('button', { name: 'Download tickets (PDF)' }).waitFor();
  });

  it('the box office refunds one of the two tickets: its seat is back on sale, the other ticket still valid', async () => {
    const page = staffPage;
    const row = page.getByRole('row').filter({ hasText: number });
    await row.getByRole('button', { name: `Refund tickets of ${number}` }).click();
    const form = page.getByRole('form', { name: `Refund tickets of ${number}` });
    const first = form.getByRole('checkbox').first();
    await first.check();
    await form.getByRole('button', { name: 'Refund 1 ticket · $30.00' }).click();
    await page.getByText(`Refunded 1 ticket of ${number}: $30.00.`).waitFor();
    await row.getByText('$30.00 refunded').waitFor();
    await expectAccessible(page, 'staff orders after a partial refund');

    const mail = await mailTo(mailDir, shopper.email, /ticket refunded/);
    expect(mail.subject).toBe(`Order ${number}: 1 ticket refunded · $30.00`);

    await shopperPage.reload();
    const order = shopperPage.locator('article.order');
    await order.getByText('$30.00 refunded').waitFor();
    expect(await shopperPage.getByRole('img', { name: /^QR code/ }).count()).toBe(1);
    expect(await order.getByText('Refunded', { exact: true }).count()).toBe(1);
    await shot(shopperPage, 'tickets-partly-refunded');
  });
});
