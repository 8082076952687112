import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { login, mailTo, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/**
 * Paying at the box office with the QR code My tickets shows: the clerk's camera reads the code off
 * the shopper's screen (Chromium's fake camera plays what the shopper's page drew), and the order is
 * paid. Later one of its tickets is passed on, and the staff's order list says who holds it now.
 */
let server: TestServer;
let shopperBrowser: Browser;
let clerkBrowser: Browser | undefined;
let shopperContext: BrowserContext;
let page: Page;
let tmp: string;
let mailDir: string;
let eventId = '';
let orderNumber = '';
const EVENT = 'Quayside Quartet';
const shopper = { name: 'Dana Counter', email: uniqueEmail('boxoffice'), password: 'cash-at-the-door-3' };
const friend = { name: 'Ellis Guest', email: uniqueEmail('guest'), password: 'a-seat-for-me-too-6' };

/** A Y4M video (two grey-scale frames, neutral chroma) of 640 x 480 luma bytes, for Chromium's fake camera. */
function lumaVideo(luma: Buffer, file: string) {
  const chroma = Buffer.alloc(320 * 240 * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from('YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n'), frame, frame]));
}

beforeAll(async () => {
  if (!browserAvailable) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-box-office-qr-'));
  mailDir = path.join(tmp, 'mail');
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data') });
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, {
    name: EVENT,
    rows: 2,
    seatsPerRow: 6,
    tiers: [{ name: 'Stalls', priceCents: 3500 }],
    paymentMethods: ['instant', 'box_office'],
  });
  shopperBrowser = await launchBrowser();
  shopperContext = await shopperBrowser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await shopperContext.newPage();
});

afterAll(async () => {
  await shopperContext?.close();
  await shopperBrowser?.close();
  await clerkBrowser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!browserAvailable)('paying at the box office with the order’s QR code', () => {
  it('a shopper orders to pay at the box office: My tickets shows the order number as a QR code', async () => {
    await register(page, server.url, shopper);
    await page.goto(`${server.url}/events/${eventId}`);
    const best = page.getByRole('form', { name: 'Best available' });
    await best.getByLabel('Seats').selectOption('2');
    await best.getByRole('button', { name: 'Find the best 2 seats together' }).click();
    await page.getByText('2 seats held for you').waitFor();
    await page.getByRole('button', { name: 'Buy these 2 seats' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.getByRole('group', { name: 'How would you like to pay?' }).getByLabel('Pay at the box office').check();
    await page.getByLabel('These details are right').check();
    await page.getByRole('button', { name: 'Place order · $70.00' }).click();
    await page.waitForURL(/\/tickets\?order=/);

    const notice = page.locator('.pay-later');
    orderNumber = (await notice.locator('.order-number').textContent()) ?? '';
    expect(orderNumber).toMatch(/^TSR-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    await notice.getByRole('img', { name: `Order number ${orderNumber} as a QR code` }).waitFor();
    await notice.getByText('Show this at the box office').waitFor();
    // The seats' own codes come once it is paid.
    expect(await page.getByRole('img', { name: /^QR code/ }).count()).toBe(0);
    await shot(page, 'tickets-box-office-qr');
  });

  it('the clerk’s camera reads the code off the shopper’s screen, and the order is paid', async () => {
    // What the shopper's page drew, enlarged onto a white 640 x 480 frame, as grey levels.
    const luma = await page.evaluate((alt) => {
      const img = [...document.images].find((i) => i.alt === alt)!;
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, 640, 480);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img, 140, 60, 360, 360);
      const { data } = ctx.getImageData(0, 0, 640, 480);
      let bytes = '';
      for (let i = 0; i < data.length; i += 4)
        bytes += String.fromCharCode(Math.round(16 + ((data[i]! * 0.299 + data[i + 1]! * 0.587 + data[i + 2]! * 0.114) * 219) / 255));
      return btoa(bytes);
    }, `Order number ${orderNumber} as a QR code`);
    const video = path.join(tmp, 'screen.y4m');
    lumaVideo(Buffer.from(luma, 'base64'), video);

    clerkBrowser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    const context = await clerkBrowser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['camera'], { origin: server.url });
    const clerk = await context.newPage();
    await login(clerk, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/staff/orders');
    const box = clerk.getByRole('region', { name: 'Record a payment' });
    await box.getByRole('button', { name: 'Scan with camera' }).click();
    await box.getByText('To take: $70.00').waitFor();
    await box.getByText(`Order ${orderNumber} · ${EVENT}`, { exact: false }).waitFor();
    await box.getByRole('button', { name: 'Stop camera' }).click();
    // The button turns back into "Scan with camera": its colours fade over 0.15 s, and axe must not see them halfway.
    await box.getByRole('button', { name: 'Scan with camera' }).waitFor();
    await clerk.mouse.move(0, 0);
    await clerk.waitForTimeout(300);
    await shot(clerk, 'box-office-scanned-from-screen');
    await box.locator('.scanned-order').getByRole('button', { name: 'Mark paid' }).click();
    await clerk.getByText(`Order ${orderNumber} is paid: $70.00.`).waitFor();

    await page.reload();
    await page.locator('article.order').getByText('Paid', { exact: true }).waitFor();
    expect(await page.locator('.pay-later').count()).toBe(0);
    expect(await page.getByRole('img', { name: /^QR code for row/ }).count()).toBe(2);
    await context.close();
  });

  it('one ticket is passed on and claimed: staff see who holds it now, in the order and in the refund picker', async () => {
    const buyer = createTesseraClient({ url: server.url, accessToken: await tokenFor(server.url, shopper.email, shopper.password) });
    const mine = (await buyer.tickets.mine.query()).filter((t) => t.eventId === eventId);
    expect(mine).toHaveLength(2);
    const passed = mine[1]!;
    await buyer.tickets.transfer.mutate({ barcode: passed.barcode, email: friend.email });
    const mail = await mailTo(mailDir, friend.email, /./);
    const token = new URL(/https?:\/\/\S+\/transfer\?token=[^\s"<>]+/.exec(mail.text ?? '')![0]).searchParams.get('token')!;

    const friendContext = await shopperBrowser.newContext({ viewport: { width: 1280, height: 900 } });
    await register(await friendContext.newPage(), server.url, friend);
    await friendContext.close();
    const guest = createTesseraClient({ url: server.url, accessToken: await tokenFor(server.url, friend.email, friend.password) });
    await guest.tickets.claimTransfer.mutate({ token });

    const staff = await shopperBrowser.newContext({ viewport: { width: 1280, height: 900 } });
    const clerk = await staff.newPage();
    await login(clerk, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/staff/orders');
    const row = clerk.getByRole('row').filter({ hasText: orderNumber });
    const seat = `${passed.row}${passed.number}`;
    await row.getByText(`(passed on to ${friend.email})`).waitFor();
    expect((await row.getByRole('cell').nth(3).textContent())?.trim()).toMatch(
      new RegExp(`${seat} \\(passed on to ${friend.email.replace(/[.+]/g, '\\$&')}\\)`),
    );
    await row.getByRole('button', { name: `Refund tickets of ${orderNumber}` }).click();
    const picker = clerk.getByRole('form', { name: `Refund tickets of ${orderNumber}` });
    await picker.getByText(`passed on to ${friend.email}, who holds it now`, { exact: false }).waitFor();
    await shot(clerk, 'staff-orders-passed-on');
    await staff.close();
  });
});
