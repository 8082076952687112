import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';
import { createEventAsStaff, login, logout, register, shot, uniqueEmail } from './flows';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const staffer = { name: 'Sam Stage', email: uniqueEmail('staff'), password: 'stage-door-2027', requestStaff: true };
const customer = { name: 'Casey Buyer', email: uniqueEmail('buyer'), password: 'front-row-seats-9' };
const EVENT = { name: 'Lumen Quartet Live', venue: 'Harbour Hall', tier: 'Stalls', price: '45', rows: 5, seatsPerRow: 12 };
let eventId = '';
let ticketCode = '';

async function freshPage(viewport = { width: 1280, height: 860 }) {
  await context?.close();
  context = await browser.newContext({ viewport });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  browser = await launchBrowser();
  await freshPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('journeys through the real app', () => {
  it('an admin approves a staff request, and the staff pages open only after that', async () => {
    await register(page, server.url, staffer);
    await page.goto(`${server.url}/staff/events`);
    await page.getByText('Your staff access is waiting for an administrator’s approval.').waitFor();
    await logout(page, staffer.name);

    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/admin/staff');
    await page.getByRole('heading', { name: 'Staff requests' }).waitFor();
    const queue = page.getByRole('region', { name: 'Waiting for approval' });
    await queue.getByText(staffer.email).waitFor();
    await shot(page, 'admin-staff-requests');
    await page.getByRole('button', { name: `Approve ${staffer.name}` }).click();
    await page.getByText(`${staffer.name} is now approved staff.`).waitFor();
    await queue.getByText('No one is waiting.').waitFor();

    await page.goto(`${server.url}/admin/users`);
    await page.getByText(staffer.email).waitFor();
    await shot(page, 'admin-users');
    await page.goto(`${server.url}/admin/audit`);
    await page.getByRole('cell', { name: `Administrator approved ${staffer.name} as staff` }).waitFor();
    await logout(page, 'Admin');
  });

  it('staff create an event with priced seats, and a visitor sees them on the seat map', async () => {
    await login(page, server.url, staffer.email, staffer.password, '/staff/events');
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    eventId = await createEventAsStaff(page, server.url, EVENT);
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await shot(page, 'staff-events');
    await logout(page, staffer.name);

    await page.goto(server.url);
    const card = page.getByRole('link', { name: new RegExp(EVENT.name) });
    await card.waitFor();
    expect(await card.textContent()).toContain('$45.00');
    await card.click();
    await page.getByRole('heading', { name: EVENT.name, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Row A seat 1, Stalls, $45.00, available' }).waitFor();
    expect(await page.getByRole('button', { name: /^Row E seat 12, / }).count()).toBe(1);
    await shot(page, 'event');
  });

  it('a customer registers, holds two seats, buys them once despite a double click, and sees QR codes', async () => {
    await register(page, server.url, customer);
    await page.goto(server.url);
    await page.getByRole('link', { name: new RegExp(EVENT.name) }).click();
    await page.getByRole('button', { name: 'Row C seat 5, Stalls, $45.00, available' }).click();
    await page.getByRole('button', { name: 'Row C seat 6, Stalls, $45.00, available' }).click();
    await page.getByRole('button', { name: 'Row C seat 5, Stalls, $45.00, available, selected' }).waitFor();
    const price = page.getByRole('complementary').getByRole('definition').last();
    await page.getByRole('complementary').getByText('$90.00').waitFor();
    expect(await price.textContent()).toBe('$90.00');

    await page.getByRole('button', { name: 'Hold 2 seats' }).click();
    await page.getByText('2 seats held for you').waitFor();
    await page.getByRole('timer').waitFor();
    expect(await page.getByRole('timer').textContent()).toMatch(/^(10:00|9:[0-5]\d)$/);
    await page.getByRole('button', { name: 'Row C seat 5, Stalls, $45.00, held by you' }).waitFor();
    await shot(page, 'event-hold');
    // The toast stays clear of the basket and its total.
    const toast = page.getByRole('status').filter({ hasText: 'Held 2 seats for you.' });
    await toast.waitFor();
    const [toastBox, basketBox] = [await toast.boundingBox(), await page.getByRole('complementary').boundingBox()];
    const overlaps = (a: NonNullable<typeof toastBox>, b: NonNullable<typeof toastBox>) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlaps(toastBox!, basketBox!)).toBe(false);
    // A shopper reads before clicking on (a toast shown in the same moment as a navigation goes along).
    await page.waitForTimeout(400);
    await page.getByRole('button', { name: 'Buy these 2 seats' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    // ... and does not follow to the next page.
    await toast.waitFor({ state: 'detached', timeout: 2_000 });
    const pay = page.getByRole('button', { name: 'Place order · $90.00' });
    await pay.waitFor();
    await page.getByLabel('These details are right').check();
    await shot(page, 'checkout');
    await pay.dblclick();

    await page.waitForURL(/\/tickets\?order=/);
    await page.getByRole('img', { name: 'QR code for row C seat 5' }).waitFor();
    await page.getByRole('img', { name: 'QR code for row C seat 6' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await page.getByRole('button', { name: 'Show barcode of row C seat 5' }).click();
    const barcode = page.getByRole('img', { name: /^Barcode / }).first();
    expect(await barcode.locator('rect').count()).toBeGreaterThan(10);
    ticketCode = (await page.locator('.barcode figcaption code').first().textContent()) ?? '';
    expect(ticketCode).toBe(await page.locator('.ticket-code').first().textContent());
    await shot(page, 'tickets');

    await page.goto(`${server.url}/events/${eventId}`);
    await page.getByRole('button', { name: 'Row C seat 5, Stalls, $45.00, your ticket' }).waitFor();

    await logout(page, customer.name);
    await page.goto(`${server.url}/tickets`);
    await page.waitForURL(`${server.url}/login?next=%2Ftickets`);
    await login(page, server.url, customer.email, customer.password, '/tickets');
    await page.waitForURL(`${server.url}/tickets`);
    await page.getByRole('img', { name: 'QR code for row C seat 5' }).waitFor();
  });

  it('staff check a ticket in once at the door, and see the sale in orders and reports', async () => {
    await freshPage();
    await login(page, server.url, staffer.email, staffer.password, '/staff/checkin');
    const input = page.getByLabel('Barcode');
    await input.fill(ticketCode);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Admit' }).waitFor();
    await page.getByText('Row C · Seat 5 · Stalls').waitFor();
    await input.fill(ticketCode);
    await page.getByRole('button', { name: 'Check in' }).click();
    await page.getByRole('heading', { name: 'Already checked in' }).waitFor();
    await input.fill('NOT-A-REAL-CODE');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Not valid' }).waitFor();
    await shot(page, 'staff-checkin');

    await page.goto(`${server.url}/staff/orders`);
    await page.getByRole('cell', { name: 'C5, C6' }).waitFor();
    await shot(page, 'staff-orders');

    await page.goto(`${server.url}/staff/reports`);
    await page.getByRole('heading', { name: 'Net revenue by day' }).waitFor();
    const sold = page.locator('.stat', { hasText: 'Tickets sold' });
    await sold.getByText('2', { exact: true }).waitFor();
    await page.locator('.stat', { hasText: 'Net revenue' }).getByText('$90.00', { exact: true }).waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    // Every event is listed, sold or not; the attendee list needs one chosen.
    expect(await page.getByRole('button', { name: 'Attendees (CSV)' }).isDisabled()).toBe(true);
    await page.getByLabel('Event', { exact: true }).selectOption({ label: EVENT.name });
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('button[title="Choose an event first"]'));
    await page.getByRole('heading', { name: 'By tier', exact: true }).waitFor();
    await shot(page, 'staff-reports');
    const [attendees] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Attendees (CSV)' }).click()]);
    const rows: Array<Record<string, string>> = parse(await fs.readFile(await attendees.path(), 'utf8'), { columns: true });
    expect(rows.map((r) => `${r.row}${r.seat} ${r.status} ${r.email}`).sort()).toEqual([
      `C5 checked in ${customer.email}`,
      `C6 valid ${customer.email}`,
    ]);
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Report (CSV)' }).click()]);
    const lines: Array<Record<string, string>> = parse(await fs.readFile(await report.path(), 'utf8'), { columns: true });
    expect(lines[0]).toMatchObject({ section: 'total', tickets: '2', gross: '90.00', net: '90.00' });
    await logout(page, staffer.name);
  });

  it('a wrong password is refused without saying which part was wrong', async () => {
    await freshPage();
    await login(page, server.url, customer.email, 'not-my-password', '/tickets');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Invalid email or password');
    await login(page, server.url, uniqueEmail('nobody'), 'not-my-password');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Invalid email or password');
    expect(page.url()).toContain('/login');
    await shot(page, 'login-failed');
  });

  it('an admin reads the audit log as sentences, filters it by the staff member and the action, and downloads it as CSV', async () => {
    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/admin/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('Email (whole or part)').fill(staffer.email);
    const created = page.getByRole('cell', { name: `${staffer.name} created the event ${EVENT.name}` });
    await created.waitFor();
    // The people and the event link to where they are managed and shown.
    expect(await created.getByRole('link', { name: EVENT.name }).getAttribute('href')).toBe(`/events/${eventId}`);
    expect(await created.getByRole('link', { name: staffer.name }).getAttribute('href')).toBe(`/admin/users?q=${encodeURIComponent(staffer.name)}`);
    await page.getByRole('cell', { name: new RegExp(`^${staffer.name} checked in seat [A-E]-\\d+ of order TSR-`) }).waitFor();
    await page.getByRole('cell', { name: `Administrator approved ${staffer.name} as staff` }).waitFor();
    // Once the (debounced) filter applies, nothing of the customer's own is left: it is the staff member's.
    await expect.poll(() => page.getByRole('cell', { name: new RegExp(`^${customer.name} `) }).count(), { timeout: 10_000 }).toBe(0);
    expect(new URL(page.url()).searchParams.get('email')).toBe(staffer.email);
    await shot(page, 'admin-audit');

    await page.getByLabel('Action').selectOption({ label: 'Prices set' });
    await page.getByRole('cell', { name: new RegExp(`^${staffer.name} set the prices of ${EVENT.name}: none → ${EVENT.tier} \\$45\\.00`) }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    expect(new URL(page.url()).searchParams.get('type')).toBe('prices_set');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tessera-audit-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await fs.readFile(await download.path(), 'utf8');
    const records: Array<Record<string, string>> = parse(csv, { columns: true });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ action: 'prices_set', by: staffer.email, event: EVENT.name });
    expect(records[0]!.sentence).toBe(`${staffer.name} set the prices of ${EVENT.name}: none → ${EVENT.tier} $45.00`);
    await logout(page, 'Admin');
  });

  it('the main pages fit a 375px phone screen', async () => {
    await freshPage({ width: 375, height: 740 });
    await login(page, server.url, customer.email, customer.password);
    await page.getByRole('button', { name: `Account menu for ${customer.name}` }).waitFor();
    for (const [path, name, ready] of [
      ['/', 'phone-home', EVENT.name],
      [`/events/${eventId}`, 'phone-event', 'Your seats'],
      ['/tickets', 'phone-tickets', 'My tickets'],
      ['/profile', 'phone-profile', 'Profile & security'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { name: ready }).first().waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
      // The seat map is a canvas: capture it as a phone shows it, not stitched into a full page.
      await shot(page, name, name !== 'phone-event');
    }
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await page.getByRole('link', { name: 'My tickets' }).waitFor();
    await shot(page, 'phone-menu', false);
    expect(pageErrors).toEqual([]);
  });
});
