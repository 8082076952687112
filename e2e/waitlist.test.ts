import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { login, mailTo, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/** A sold-out event: a shopper joins its waiting list, seats come back, the mailed link leads to them held, and they are bought. */
let server: TestServer;
let browser: Browser;
let shopperContext: BrowserContext;
let staffContext: BrowserContext;
let page: Page;
let mailDir: string;
let eventId = '';
let token = '';
let soldOrderId = '';
const EVENT = 'Last Night Live';
const shopper = { name: 'Wren Waiting', email: uniqueEmail('waiter'), password: 'patience-pays-off-8' };

beforeAll(async () => {
  if (!browserAvailable) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-waitlist-'));
  mailDir = path.join(tmp, 'mail');
  // The sweep that makes offers runs every 2 s here (30 s by default).
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data'), sweepIntervalSeconds: 2 });
  token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, { name: EVENT, rows: 1, seatsPerRow: 2, tiers: [{ name: 'Stalls', priceCents: 6000 }] });
  // Sold out: the box office bought both seats.
  const api = createTesseraClient({ url: server.url, accessToken: token });
  const order = await api.tickets.purchase.mutate({
    eventId,
    seats: [
      { row: 'A', number: 1 },
      { row: 'A', number: 2 },
    ],
    idempotencyKey: crypto.randomUUID(),
  });
  soldOrderId = order.id;
  browser = await launchBrowser();
  shopperContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await shopperContext.newPage();
});

afterAll(async () => {
  await shopperContext?.close();
  await staffContext?.close();
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('the waiting list', () => {
  it('a shopper joins the waiting list of a sold-out event and sees their place', async () => {
    await register(page, server.url, shopper);
    await page.goto(`${server.url}/events/${eventId}`);
    const form = page.getByRole('form', { name: 'Join the waiting list' });
    await form.getByLabel('Seats').selectOption('2');
    await expectAccessible(page, 'a sold-out event with its waiting list');
    await form.getByRole('button', { name: 'Join the waiting list' }).click();
    await page.getByText('You are number 1 on the waiting list.').first().waitFor();
    await page.getByRole('button', { name: 'Leave the waiting list' }).waitFor();
    await shot(page, 'waitlist-joined');
  });

  it('seats come back: the mailed link shows them held for the shopper, who buys them', async () => {
    await createTesseraClient({ url: server.url, accessToken: token }).orders.cancel.mutate({ id: soldOrderId });
    const mail = await mailTo(mailDir, shopper.email, new RegExp(`^Seats for ${EVENT} are held for you until`));
    const link = /\/events\/[0-9a-f-]{36}/.exec(mail.text ?? '')![0];
    expect(link).toBe(`/events/${eventId}`);

    await page.goto(`${server.url}${link}`);
    await page.getByText('Seats came free and are held for you until').waitFor();
    await page.getByText('2 seats held for you').waitFor();
    await expectAccessible(page, 'an event with a waiting-list offer');
    await shot(page, 'waitlist-offer');
    await page.getByRole('button', { name: 'Buy these 2 seats' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.getByLabel('These details are right').check();
    await page.getByRole('button', { name: 'Place order · $120.00' }).click();
    await page.waitForURL(/\/tickets\?order=/);
    await page.getByRole('img', { name: 'QR code for row A seat 1' }).waitFor();
  });

  it('staff see the entry bought on the event’s waiting list', async () => {
    const staff = await staffContext.newPage();
    await login(staff, server.url, TEST_ADMIN.email, TEST_ADMIN.password, `/staff/events?event=${eventId}`);
    await staff.getByRole('tab', { name: 'Waiting list' }).click();
    const row = staff.getByRole('row').filter({ hasText: shopper.email });
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 15_000 }).toContain('Bought');
    await expectAccessible(staff, 'the staff waiting list');
  });
});
