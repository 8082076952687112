import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { login, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/**
 * A presale: row A belongs to a hidden tier. Its seats show on the map, locked, until a shopper
 * enters a code that unlocks them; the seat is then held and bought with that code.
 */
let server: TestServer;
let browser: Browser;
let shopperContext: BrowserContext;
let staffContext: BrowserContext;
let page: Page;
let token = '';
let eventId = '';
const EVENT = 'Fan Club Preview';
const CODE = 'FANCLUB';
const shopper = { name: 'Priya Early', email: uniqueEmail('presale'), password: 'first-in-line-7' };

beforeAll(async () => {
  if (!browserAvailable) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-presale-'));
  server = await startTestServer({ mailDir: path.join(tmp, 'mail'), dataDir: path.join(tmp, 'data') });
  token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  // Row A: Fan Zone ($60, the presale), row B: Stalls ($40).
  eventId = await seedEvent(server.url, token, {
    name: EVENT,
    rows: 2,
    seatsPerRow: 6,
    tiers: [
      { name: 'Fan Zone', priceCents: 6000 },
      { name: 'Stalls', priceCents: 4000 },
    ],
  });
  const api = createTesseraClient({ url: server.url, accessToken: token });
  const { tiers } = await api.events.byId.query({ id: eventId });
  await api.pricing.setTiers.mutate({
    eventId,
    tiers: tiers.map((t) => ({ id: t.id, name: t.name, priceCents: t.priceCents, currency: t.currency, hidden: t.name === 'Fan Zone' })),
  });
  await api.vouchers.create.mutate({ eventId, code: CODE, kind: 'percent', value: 0, unlocksHidden: true });
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

describe.skipIf(!browserAvailable)('a presale', () => {
  it('staff see the presale tier and the code that unlocks it', async () => {
    const staff = await staffContext.newPage();
    await login(staff, server.url, TEST_ADMIN.email, TEST_ADMIN.password, `/staff/events?event=${eventId}`);
    await staff.getByRole('tab', { name: 'Prices' }).click();
    const boxes = staff.getByRole('form', { name: 'Price tiers' }).getByRole('checkbox', { name: 'Presale only (needs a code)' });
    expect(await boxes.count()).toBe(2);
    expect(await boxes.nth(0).isChecked()).toBe(true);
    expect(await boxes.nth(1).isChecked()).toBe(false);
    await shot(staff, 'staff-prices-presale');

    await staff.getByRole('tab', { name: 'Codes' }).click();
    const row = staff.getByRole('row').filter({ hasText: CODE });
    await row.getByText('Presale', { exact: true }).waitFor();
    await row.getByText('No discount').waitFor();
    await shot(staff, 'staff-codes-presale');
    await staff.close();
  });

  it('the presale seats are locked for a shopper until a code opens them', async () => {
    await register(page, server.url, shopper);
    await page.goto(`${server.url}/events/${eventId}`);
    const locked = page.getByRole('button', { name: 'Row A seat 3, Fan Zone, $60.00, presale, needs a code' });
    await locked.waitFor();
    expect(await locked.getAttribute('aria-disabled')).toBe('true');
    // Pressed anyway (Playwright waits for a button that is not aria-disabled): nothing is chosen.
    await locked.click({ force: true });
    expect(await page.getByRole('list', { name: 'Selected seats' }).count()).toBe(0);
    await page.getByRole('list', { name: 'Legend' }).getByText('Presale (code needed)').waitFor();
    await page.getByText('12 seats, 6 available, 6 more in a presale (code needed).', { exact: false }).waitFor();
    // The general-sale seats are as ever.
    await page.getByRole('button', { name: 'Row B seat 3, Stalls, $40.00, available' }).waitFor();

    const form = page.getByRole('form', { name: 'Have a presale code?' });
    await form.getByLabel('Presale code').fill('NOT-THE-CODE');
    await form.getByRole('button', { name: 'Unlock' }).click();
    await form.getByText('This code is not valid for this event.').waitFor();
    await expectAccessible(page, 'the event page with a refused presale code');
    await shot(page, 'presale-locked');

    await form.getByLabel('Presale code').fill(CODE.toLowerCase());
    await form.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(`Code ${CODE} unlocks Fan Zone: choose its seats on the map.`).waitFor();
    await page.getByRole('button', { name: 'Row A seat 3, Fan Zone, $60.00, available' }).waitFor();
    expect(await page.getByRole('list', { name: 'Legend' }).getByText('Presale (code needed)').count()).toBe(0);
    await shot(page, 'presale-unlocked');
  });

  it('the shopper holds a presale seat with the code and buys it: the order carries the code', async () => {
    await page.getByRole('button', { name: 'Row A seat 3, Fan Zone, $60.00, available' }).click();
    await page.getByRole('button', { name: 'Hold 1 seat' }).click();
    await page.getByText('1 seat held for you').waitFor();
    await page.getByRole('button', { name: 'Row A seat 3, Fan Zone, $60.00, held by you' }).waitFor();
    await page.waitForTimeout(400);
    await page.getByRole('button', { name: 'Buy this seat' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();

    await page.getByText(`Code ${CODE} applied. Your presale seats need it.`).waitFor();
    expect(await page.getByRole('button', { name: 'Remove code' }).count()).toBe(0);
    await page.getByLabel('These details are right').check();
    await shot(page, 'presale-checkout');
    await page.getByRole('button', { name: 'Place order · $60.00' }).click();
    await page.waitForURL(/\/tickets\?order=/);
    await page.getByRole('img', { name: 'QR code for row A seat 3' }).waitFor();

    const api = createTesseraClient({ url: server.url, accessToken: token });
    const { items } = await api.orders.list.query({ eventId });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'PAID', voucherCode: CODE, totalCents: 6000, tickets: [{ row: 'A', number: 3 }] });
    const [code] = await api.vouchers.list.query({ eventId });
    expect(code).toMatchObject({ code: CODE, uses: 1 });

    // Back on the event, the seat is the shopper's, and the code is still open for more.
    await page.goto(`${server.url}/events/${eventId}`);
    await page.getByRole('button', { name: 'Row A seat 3, Fan Zone, $60.00, your ticket' }).waitFor();
    await page.getByRole('button', { name: 'Row A seat 4, Fan Zone, $60.00, available' }).waitFor();
  });

  it('on a phone, signed out: the locked seats and the code form fit', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const visitor = await phone.newPage();
    await visitor.goto(`${server.url}/events/${eventId}`);
    await visitor.getByRole('form', { name: 'Have a presale code?' }).waitFor();
    await visitor.getByRole('list', { name: 'Legend' }).getByText('Presale (code needed)').waitFor();
    await shot(visitor, 'phone-presale-locked');
    await phone.close();
  });
});
