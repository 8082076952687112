import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from './api';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';
import { login, shot } from './flows';

/** Staff forms in people's words: venue time zones, currency prices, unsaved-changes guard, buttons that say what happened. */

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  // The browser's own zone is UTC: the form must still read times on the venue's clock.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

async function api<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${server.url}/trpc/${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { result: { data: T } };
  return body.result.data;
}

/** The next dialog's message, answered as told. */
function nextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog: Dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
  });
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

describe.skipIf(!browserAvailable)('staff event forms', () => {
  it('speak the user’s language, keep the venue’s clock, guard unsaved edits and say what just happened', async () => {
    const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const page = await newPage();
    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/staff/events?event=new');
    await page.getByRole('heading', { name: 'New event' }).waitFor();
    const eventsBefore = (
      await api<{ items: unknown[] }>(`events.list?input=${encodeURIComponent(JSON.stringify({ includePast: true, limit: 100 }))}`, token)
    ).items.length;

    // Empty form: messages for people, beside their fields, and nothing created.
    await page.getByRole('button', { name: 'Create event' }).click();
    const starts = page.getByLabel('Starts');
    await page.getByText('Pick the date and time it starts.').waitFor();
    expect(await starts.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await starts.getAttribute('aria-describedby')) ?? '';
    const startsError = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    expect(startsError).toBe('Pick the date and time it starts.');
    await page.getByText('Give the event a name.').waitFor();
    await page.getByText('Say where it takes place.').waitFor();
    expect(await page.getByText(/ISO-8601|Expected /).count()).toBe(0);
    await shot(page, 'staff-event-form-errors');
    expect(
      (await api<{ items: unknown[] }>(`events.list?input=${encodeURIComponent(JSON.stringify({ includePast: true, limit: 100 }))}`, token)).items
        .length,
    ).toBe(eventsBefore);

    // 19:30 in New York on 1 May 2027 (summer time, UTC-4) is 23:30 UTC, whatever the browser's zone.
    await page.getByLabel('Name').fill('Broadway Nights');
    await page.getByLabel('Venue', { exact: true }).fill('Majestic Theatre');
    await page.getByLabel('Venue time zone').selectOption('America/New_York');
    await starts.fill('2027-05-01T19:30');
    await page.getByLabel('Status').selectOption('ON_SALE');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { name: 'Broadway Nights', level: 2 }).waitFor();
    const eventId = new URL(page.url()).searchParams.get('event')!;
    const created = await api<{ startsAt: string; timeZone: string }>(
      `events.byId?input=${encodeURIComponent(JSON.stringify({ id: eventId }))}`,
      token,
    );
    expect(created).toMatchObject({ startsAt: '2027-05-01T23:30:00.000Z', timeZone: 'America/New_York' });
    // Read back on the venue's clock, named since the visitor is elsewhere.
    expect(await page.getByLabel('Starts').inputValue()).toBe('2027-05-01T19:30');
    await page
      .getByRole('navigation', { name: 'All events' })
      .getByText(/May 1, 2027, 7:30 PM GMT-4/)
      .waitFor();
    // Nothing edited yet: nothing to save.
    expect(await page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);

    // Prices in currency units, checked in words; a yen price has no decimals.
    await page.getByRole('tab', { name: 'Prices' }).click();
    await page.getByLabel('Tier name').first().fill('Orchestra');
    await page.getByRole('button', { name: 'Save tiers' }).click();
    await page.getByText('Enter a price, such as 45.00.').waitFor();
    await page
      .getByLabel(/^Price \(/)
      .first()
      .fill('fifty');
    await page.getByRole('button', { name: 'Save tiers' }).click();
    await page.getByText('Enter the price as a number, such as 45.00.').waitFor();
    await page.getByLabel('Currency').first().selectOption('JPY');
    await page.getByLabel('Price (¥)').first().fill('4500.5');
    await page.getByRole('button', { name: 'Save tiers' }).click();
    await page.getByText('JPY prices have no decimals.').waitFor();
    expect(await page.getByText('Expected a price in cents.').count()).toBe(0);
    await page.getByLabel('Currency').first().selectOption('USD');
    await page.getByLabel('Price ($)').first().fill('89.50');
    // A second tier, cheaper and alphabetically first: it must not take over the seat generator.
    await page.getByRole('button', { name: 'Add tier' }).click();
    await page.getByLabel('Tier name').nth(1).fill('Balcony');
    await page
      .getByLabel(/^Price \(/)
      .nth(1)
      .fill('1,250');
    await page.getByRole('button', { name: 'Save tiers' }).click();
    await page.getByText('Price tiers saved.').waitFor();
    await page.getByRole('button', { name: 'Saved' }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Saved' }).first().isDisabled()).toBe(true);
    const tiers = (
      await api<{ tiers: Array<{ name: string; priceCents: number }> }>(
        `events.byId?input=${encodeURIComponent(JSON.stringify({ id: eventId }))}`,
        token,
      )
    ).tiers;
    expect(tiers.map((t) => [t.name, t.priceCents])).toEqual([
      ['Orchestra', 8950],
      ['Balcony', 125000],
    ]);

    // Unsaved edits: switching tabs asks; "stay" keeps them; "leave" drops them.
    await page.getByLabel('Tier name').first().fill('Orchestra Stalls');
    await page
      .getByText('Unsaved changes')
      .or(page.getByRole('button', { name: 'Save tiers' }))
      .first()
      .waitFor();
    let asked = nextDialog(page, false);
    await page.getByRole('tab', { name: 'Seats' }).click();
    expect(await asked).toContain('Price tiers');
    expect(await page.getByLabel('Tier name').first().inputValue()).toBe('Orchestra Stalls');
    // A link elsewhere asks too.
    asked = nextDialog(page, false);
    await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Orders' }).click();
    expect(await asked).toContain('unsaved changes');
    expect(new URL(page.url()).pathname).toBe('/staff/events');
    asked = nextDialog(page, true);
    await page.getByRole('tab', { name: 'Seats' }).click();
    await asked;
    await page.getByRole('heading', { name: 'Generate seats' }).waitFor();

    // The generator starts with the first tier created, and its legend shows tiers only.
    expect(await page.getByLabel('Tier', { exact: true }).first().locator('option:checked').textContent()).toBe('Orchestra');
    const legend = page.getByRole('list', { name: 'Legend' });
    await legend.getByText(/Orchestra/).waitFor();
    expect(await legend.getByText('Your selection').count()).toBe(0);
    expect(await legend.getByText('Held by you').count()).toBe(0);
    await page.getByLabel('Rows', { exact: true }).fill('10');
    await page.getByLabel('Seats per row').fill('120');
    await page.getByLabel('To row #').first().fill('10');
    await page.getByRole('button', { name: 'Create 1,200 seats' }).click();
    await page.getByText('1,200 seats created.').waitFor();
    const done = page.getByRole('button', { name: '1,200 seats created' });
    await done.waitFor();
    expect(await done.isDisabled()).toBe(true);
    await shot(page, 'staff-seat-generator-done');
    // Changing the plan makes it a new plan to create.
    await page.getByLabel('First row').fill('M');
    await page.getByRole('button', { name: 'Create 1,200 seats' }).waitFor();

    // The list reads numbers the way the public page does.
    await page.getByRole('navigation', { name: 'All events' }).getByText('0 of 1,200 sold').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
