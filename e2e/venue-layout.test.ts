import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { tokenFor } from './api';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';
import { login, register, shot, uniqueEmail } from './flows';

/** A venue in sections with accessible seats: laid out by staff, saved as a template, reused; a shopper picks a wheelchair space. */

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** An on-sale event with tiers Stalls ($60) and Circle ($40), no seats yet. */
async function eventWithTiers(name: string): Promise<string> {
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const api = createTesseraClient({ url: server.url, accessToken: token });
  const event = await api.events.create.mutate({
    name,
    venue: 'Lyric Theatre',
    startsAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    status: 'ON_SALE',
  });
  await api.pricing.setTiers.mutate({
    eventId: event.id,
    tiers: [
      { name: 'Stalls', priceCents: 6000, currency: 'USD' },
      { name: 'Circle', priceCents: 4000, currency: 'USD' },
    ],
  });
  return event.id;
}

describe.skipIf(!browserAvailable)('venue layouts', () => {
  it('staff lay out sections with aisles and accessible seats, save a template and reuse it; a shopper picks a wheelchair space', async () => {
    const first = await eventWithTiers('Lyric Gala');
    const staff = await newPage();
    await login(staff, server.url, TEST_ADMIN.email, TEST_ADMIN.password, `/staff/events?event=${first}`);
    await staff.getByRole('tab', { name: 'Seats' }).click();
    await staff.getByRole('button', { name: 'Sections and accessible seats' }).click();

    // Stalls: rows A-C of 12, an aisle after 6, wheelchair A1 A2 with companion A3, C12 missing.
    const stalls = staff.getByRole('group', { name: 'Stalls' });
    await staff.getByLabel('To row').first().fill('C');
    await staff.getByLabel('Seats per row').first().fill('12');
    await staff.getByLabel('Aisles after seats').first().fill('6');
    await staff.getByLabel('Wheelchair spaces (optional)').first().fill('A1, A2');
    await staff.getByLabel('Companion seats (optional)').first().fill('A3');
    await staff.getByLabel('Missing seats (optional)').first().fill('C12');
    expect(await stalls.count()).toBeGreaterThanOrEqual(0);

    // Circle: prefix C, rows A-B of 10, odd-even numbering, A9 restricted view. A seat that does not exist is named.
    await staff.getByRole('button', { name: 'Add section' }).click();
    await staff.getByLabel('Section name').nth(1).fill('Circle');
    await staff.getByLabel('Row prefix (optional)').nth(1).fill('C');
    await staff.getByLabel('To row').nth(1).fill('B');
    await staff.getByLabel('Seats per row').nth(1).fill('10');
    await staff.getByLabel('Numbering').nth(1).selectOption('odd-even');
    await staff.getByLabel('Tier').nth(1).selectOption('Circle');
    await staff.getByLabel('Restricted-view seats (optional)').nth(1).fill('A99');
    await staff.getByText('Circle has no seat A99.').waitFor();
    await staff.getByLabel('Restricted-view seats (optional)').nth(1).fill('A9');

    await staff.getByRole('heading', { name: 'Preview: 5 rows, 55 seats' }).waitFor();
    const legend = staff.getByRole('list', { name: 'Legend' });
    await legend.getByText('Wheelchair space').waitFor();
    await legend.getByText('Restricted view').waitFor();
    expect(await legend.getByText('Your selection').count()).toBe(0);
    await shot(staff, 'staff-venue-layout');

    await staff.getByLabel('Template name').fill('Lyric Theatre');
    await staff.getByRole('button', { name: 'Save as venue template' }).click();
    await staff.getByText('Template Lyric Theatre saved.').waitFor();
    await staff.getByRole('button', { name: 'Create 55 seats' }).click();
    await staff.getByText('55 seats created in Stalls, Circle.').waitFor();
    expect(await staff.getByRole('button', { name: '✓ Seats created' }).isDisabled()).toBe(true);

    const map = await createTesseraClient({ url: server.url }).inventory.seatMap.query({ eventId: first });
    expect(map.rows.map((r) => `${r.section}:${r.name}`)).toEqual(['Stalls:A', 'Stalls:B', 'Stalls:C', 'Circle:C-A', 'Circle:C-B']);
    expect(map.rows[0]!.seats.filter((s) => s.features?.includes('wheelchair')).map((s) => s.number)).toEqual([1, 2]);
    expect(map.rows[0]!.seats.find((s) => s.number === 7)?.position).toBe(7);

    // The template lays out the next event at the same venue.
    const second = await eventWithTiers('Lyric Matinee');
    await staff.goto(`${server.url}/staff/events?event=${second}`);
    await staff.getByRole('tab', { name: 'Seats' }).click();
    await staff.getByRole('button', { name: 'Sections and accessible seats' }).click();
    await staff.getByLabel('Start from a venue template').selectOption({ label: 'Lyric Theatre · 55 seats' });
    await staff.getByRole('button', { name: 'Create 55 seats' }).click();
    await staff.getByText('55 seats created in Stalls, Circle.').waitFor();

    // A shopper narrows the map to wheelchair spaces and holds one.
    const shopper = await newPage();
    await register(shopper, server.url, { name: 'Wren Wheel', email: uniqueEmail('wheel'), password: `pw-${crypto.randomUUID()}` });
    await shopper.goto(`${server.url}/events/${first}`);
    await shopper.getByRole('heading', { name: 'Lyric Gala', level: 1 }).waitFor();
    await shopper.getByRole('list', { name: 'Legend' }).getByText('Companion seat').waitFor();
    await shopper.getByLabel('Show').selectOption('wheelchair');
    await shopper.getByRole('button', { name: 'Row B seat 5, Stalls, $60.00, available, outside your filter' }).waitFor();
    await shopper.getByRole('button', { name: 'Row A seat 2, wheelchair space, Stalls, $60.00, available' }).click();
    await shopper.getByRole('button', { name: 'Row A seat 2, wheelchair space, Stalls, $60.00, available, selected' }).waitFor();
    // A seat outside the filter cannot be chosen.
    await shopper.getByRole('button', { name: 'Row B seat 5, Stalls, $60.00, available, outside your filter' }).click({ force: true });
    expect(await shopper.getByRole('button', { name: /Row B seat 5, .*selected/ }).count()).toBe(0);
    await shopper.getByRole('button', { name: 'Hold 1 seat' }).click();
    await shopper.getByRole('button', { name: 'Row A seat 2, wheelchair space, Stalls, $60.00, held by you' }).waitFor();
    await shot(shopper, 'event-wheelchair-filter');
    expect(pageErrors).toEqual([]);
  });
});
