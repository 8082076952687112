import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { mailTo, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/** A shopper's way through: best available, the confirmation mail and its PDF, My tickets, a refund. */
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mailDir: string;
let eventId = '';
const EVENT = 'Aurora Strings';
const shopper = { name: 'Robin Row', email: uniqueEmail('shopper'), password: 'best-seats-in-house-7' };

async function pdfPages(content: Buffer | Uint8Array): Promise<string[]> {
  return (await extractText(await getDocumentProxy(new Uint8Array(content)), { mergePages: false })).text;
}

beforeAll(async () => {
  if (!browserAvailable) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-shoppers-'));
  mailDir = path.join(tmp, 'mail');
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data') });
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, {
    name: EVENT,
    rows: 4,
    seatsPerRow: 12,
    tiers: [
      { name: 'Stalls', priceCents: 4500 },
      { name: 'Balcony', priceCents: 2000 },
    ],
  });
  await seedEvent(server.url, token, {
    name: 'Cellar Jazz',
    venue: 'Blue Cellar',
    inDays: 5,
    rows: 1,
    seatsPerRow: 10,
    tiers: [{ name: 'Bar', priceCents: 1500 }],
  });
  await seedEvent(server.url, token, {
    name: 'Opera Gala',
    venue: 'Royal Opera',
    inDays: 80,
    rows: 2,
    seatsPerRow: 10,
    tiers: [{ name: 'Box', priceCents: 15000 }],
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('a shopper', () => {
  it('finds events by date, venue and price, with the filters in a shareable address', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Aurora Strings' }).waitFor();
    expect(await page.title()).toBe('Tessera · Find your seat');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/pick the exact seat/);
    // A card's date reads as a date: weekday, month, day, year, then the time.
    expect(await page.getByRole('listitem').filter({ hasText: 'Cellar Jazz' }).locator('time').textContent()).toMatch(
      /^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{4} · \d{1,2}:\d{2} [AP]M$/,
    );
    await expectAccessible(page, 'the start page');

    await page.getByLabel('Venue').selectOption('Royal Opera');
    await page.waitForURL(/venue=Royal\+Opera/);
    await page.getByRole('heading', { name: 'Events for your filters' }).waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Opera Gala']);
    await page.getByLabel('Venue').selectOption('');
    // Aurora Strings has balcony seats at $20, Cellar Jazz is $15 throughout, Opera Gala $150.
    await page.getByLabel('Price').selectOption('2500');
    await expect.poll(() => page.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Cellar Jazz', 'Aurora Strings']);
    const url = page.url();
    expect(url).toContain('max=2500');

    // The address carries the filters: opened afresh it shows the same list.
    await page.goto(`${server.url}/?to=${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}`);
    await expect.poll(() => page.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Cellar Jazz']);
    expect(await page.getByLabel('To').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Cellar Jazz', 'Aurora Strings', 'Opera Gala']);
    await shot(page, 'home-filters');
  });

  it('asks for the best 2 seats in Stalls, then the best 6 anywhere, and gets them held and shown', async () => {
    await register(page, server.url, shopper);
    await page.goto(`${server.url}/events/${eventId}`);
    await page.getByRole('heading', { name: EVENT, level: 1 }).waitFor();
    expect(await page.title()).toBe(`${EVENT} · Tessera`);
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(new RegExp(`^${EVENT} at Grand Arena, `));
    const best = page.getByRole('form', { name: 'Best available' });
    await best.getByLabel('Seats').selectOption('2');
    await best.getByLabel('Where').selectOption({ label: 'Stalls · $45.00' });
    await expectAccessible(page, 'the event page');
    await best.getByRole('button', { name: 'Find the best 2 seats together' }).click();
    await page.getByText('2 seats held for you').waitFor();
    await page.getByRole('status').filter({ hasText: 'Held 2 seats together for you: A6, A7.' }).waitFor();
    await page.getByRole('button', { name: 'Row A seat 6, Stalls, $45.00, held by you' }).waitFor();
    await page.getByRole('button', { name: 'Row A seat 7, Stalls, $45.00, held by you' }).waitFor();

    // Six together anywhere: row A has only 5 free on either side of the held pair, so row B.
    await best.getByLabel('Seats').selectOption('6');
    await best.getByLabel('Where').selectOption({ label: 'Any price' });
    await best.getByRole('button', { name: 'Find the best 6 seats together' }).click();
    await page.getByText('8 seats held for you').waitFor();
    for (const n of [4, 5, 6, 7, 8, 9]) await page.getByRole('button', { name: `Row B seat ${n}, Stalls, $45.00, held by you` }).waitFor();
    await shot(page, 'best-available');
    // Only 2 more fit under the hold limit of 10: the form offers no more than that.
    expect(await best.getByLabel('Seats').locator('option').allTextContents()).toEqual(['1', '2']);
  });

  it('buys them and gets a confirmation mail with the tickets as a PDF and a calendar file', async () => {
    await page.getByRole('button', { name: 'Buy these 8 seats' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await expectAccessible(page, 'the checkout');
    await page.getByText(shopper.email).waitFor();
    await page.getByLabel('These details are right').check();
    await page.getByRole('timer').waitFor();
    await page.getByRole('button', { name: /^Place order · / }).click();
    await page.waitForURL(/\/tickets\?order=/);
    await page.getByRole('img', { name: 'QR code for row A seat 6' }).waitFor();
    const number = (await page.locator('.order-number').first().textContent()) ?? '';
    expect(number).toMatch(/^TSR-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    await expectAccessible(page, 'My tickets');
    await shot(page, 'tickets-with-number');

    const mail = await mailTo(mailDir, shopper.email, /^Your tickets for Aurora Strings/);
    expect(mail.subject).toBe(`Your tickets for ${EVENT} · ${number}`);
    expect(mail.text).toContain(`Order ${number}`);
    expect(mail.text).toMatch(/Row A, seat 6 · Stalls\s+\$45\.00/);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    const pages = await pdfPages(pdf.content);
    expect(pages).toHaveLength(8);
    expect(pages[0]).toContain(EVENT);
    expect(pages[0]).toContain(`Order ${number}`);
    expect(mail.attachments.some((a) => a.filename === `${number}.ics` && a.content.toString().includes(`SUMMARY:${EVENT}`))).toBe(true);
  });

  it('downloads the tickets of the order, and one ticket, as PDFs from My tickets', async () => {
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download tickets (PDF)' }).click()]);
    expect(all.suggestedFilename()).toMatch(/^tickets-TSR-[0-9A-Z]{4}-[0-9A-Z]{2}\.pdf$/);
    expect(await pdfPages(fs.readFileSync(await all.path()))).toHaveLength(8);
    const [one] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PDF of row B seat 4' }).click()]);
    expect(one.suggestedFilename()).toMatch(/-B4\.pdf$/);
    const text = await pdfPages(fs.readFileSync(await one.path()));
    expect(text).toHaveLength(1);
    expect(text[0]).toMatch(/B\s/);
  });

  it('prints just the tickets: no page chrome, no buttons', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Download tickets (PDF)' }).isVisible()).toBe(false);
    expect(await page.locator('footer.footer').isVisible()).toBe(false);
    expect(await page.getByRole('img', { name: 'QR code for row A seat 6' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('shows a barcode of at least 2 px per bar with quiet zones when asked', async () => {
    await page.getByRole('button', { name: 'Show barcode of row A seat 6' }).click();
    const svg = page.getByRole('img', { name: /^Barcode / }).first();
    const box = (await svg.boundingBox())!;
    // Bars as drawn on screen, in CSS px from the left and right edges of the white code box.
    const bars = await svg.evaluate((el) => {
      const outer = el.getBoundingClientRect();
      return [...el.querySelectorAll('rect')]
        .map((r) => r.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.width < outer.width)
        .map((r) => ({ left: r.left - outer.left, right: outer.right - r.right, width: r.width }));
    });
    expect(bars.length).toBeGreaterThan(50);
    expect(Math.min(...bars.map((b) => b.width))).toBeGreaterThanOrEqual(2);
    // Quiet zones of 10 modules (20 px) on both sides.
    expect(Math.min(...bars.map((b) => b.left))).toBeGreaterThanOrEqual(20);
    expect(Math.min(...bars.map((b) => b.right))).toBeGreaterThanOrEqual(20);
    expect(box.height).toBeGreaterThanOrEqual(60);
    await expectAccessible(page, 'My tickets with a barcode');
  });

  it('cancels the order: a refund mail, and the tickets say Refunded with no codes', async () => {
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Yes, cancel order' }).click();
    await page.getByText('Cancelled · refunded').waitFor();
    expect(await page.getByRole('img', { name: /^QR code/ }).count()).toBe(0);
    expect(await page.getByText('Refunded', { exact: true }).count()).toBe(8);
    await page.getByText(/^Refunded \$/).waitFor();
    expect(await page.getByRole('button', { name: 'Download tickets (PDF)' }).count()).toBe(0);
    await expectAccessible(page, 'My tickets with a refunded order');
    await shot(page, 'tickets-refunded');
    const mail = await mailTo(mailDir, shopper.email, /cancelled/);
    expect(mail.subject).toMatch(/^Order TSR-[0-9A-Z]{4}-[0-9A-Z]{2} cancelled · \$\d+\.\d\d refunded$/);
  });
});
