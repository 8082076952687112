import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { login, mailTo, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/** A promo code: staff make it on the event's Codes tab, a shopper applies it at checkout. */
let server: TestServer;
let browser: Browser;
let staffContext: BrowserContext;
let shopperContext: BrowserContext;
let staffPage: Page;
let shopperPage: Page;
let mailDir: string;
let eventId = '';
const EVENT = 'Spring Serenade';
const shopper = { name: 'Cody Saver', email: uniqueEmail('voucher'), password: 'codes-save-money-4' };

beforeAll(async () => {
  if (!browserAvailable) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-vouchers-'));
  mailDir = path.join(tmp, 'mail');
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data') });
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, { name: EVENT, rows: 1, seatsPerRow: 10, tiers: [{ name: 'Stalls', priceCents: 5000 }] });
  browser = await launchBrowser();
  staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  shopperContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  staffPage = await staffContext.newPage();
  shopperPage = await shopperContext.newPage();
});

afterAll(async () => {
  await staffContext?.close();
  await shopperContext?.close();
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('a promo code', () => {
  it('staff make a code with five uses on the event’s Codes tab', async () => {
    const page = staffPage;
    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, `/staff/events?event=${eventId}`);
    await page.getByRole('tab', { name: 'Codes' }).click();
    const form = page.getByRole('form', { name: 'New code' });
    await form.getByLabel('Code').fill('spring20');
    await form.getByLabel('Discount').selectOption('percent');
    await form.getByLabel('Percent').fill('20');
    await form.getByLabel('Uses in all (optional)').fill('5');
    await form.getByRole('button', { name: 'Create code' }).click();
    await page.getByText('Code SPRING20 is ready.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'SPRING20' });
    await row.getByText('20% off').waitFor();
    expect((await row.locator('td.num').textContent())?.trim()).toBe('0 / 5');
    await shot(page, 'staff-codes');
  });

  it('a shopper applies it at checkout: a wrong code is refused in words, the right one replaces the price', async () => {
    const page = shopperPage;
    await register(page, server.url, shopper);
    await page.goto(`${server.url}/events/${eventId}`);
    const best = page.getByRole('form', { name: 'Best available' });
    await best.getByLabel('Seats').selectOption('2');
    await best.getByRole('button', { name: 'Find the best 2 seats together' }).click();
    await page.getByText('2 seats held for you').waitFor();
    await page.getByRole('button', { name: 'Buy these 2 seats' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();

    const codeForm = page.getByRole('form', { name: 'Voucher or promo code' });
    await codeForm.getByLabel('Voucher or promo code').fill('NOPE-CODE');
    await codeForm.getByRole('button', { name: 'Apply' }).click();
    await codeForm.getByText('This code is not valid for this event.').waitFor();
    await expectAccessible(page, 'the checkout with a refused code');
    await codeForm.getByLabel('Voucher or promo code').fill('Spring20');
    await codeForm.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Code SPRING20 applied.').waitFor();
    expect(await page.locator('.quote-discount dt').textContent()).toBe('Code SPRING20');
    expect(await page.locator('.quote-discount dd').textContent()).toBe('−$20.00');
    await shot(page, 'checkout-with-code');

    await page.getByLabel('These details are right').check();
    await page.getByRole('button', { name: 'Place order · $80.00' }).click();
    await page.waitForURL(/\/tickets\?order=/);
    await page.getByText('saved $20.00').waitFor();
    const mail = await mailTo(mailDir, shopper.email, /^Your tickets for/);
    expect(mail.text).toMatch(/Code SPRING20\s+−\$20\.00/);
    expect(mail.text).toMatch(/Total paid\s+\$80\.00/);

    await staffPage.reload();
    await staffPage.getByRole('tab', { name: 'Codes' }).click();
    const row = staffPage.getByRole('row').filter({ hasText: 'SPRING20' });
    await expect.poll(async () => (await row.locator('td.num').textContent())?.trim()).toBe('1 / 5');
  });
});
