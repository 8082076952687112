import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/**
 * Live seat updates: two shoppers in two browsers look at the same event. A seat one of them holds,
 * releases or buys changes on the other's map within a second, without a reload and without the
 * other page reading the seat map again: it came over the stream (inventory.seatChanges, SSE).
 */
let server: TestServer;
let browser: Browser;
let contexts: BrowserContext[] = [];
let ana: Page;
let ben: Page;
let eventId = '';
const EVENT = 'Live Seats Quartet';
const SEAT = 'Row B seat 4, Stalls, $40.00';
const KEY = 'B:4';
/** The other page must show a change within this long of the answer that made it. */
const LIVE_MS = 1000;

/** When each page asked for the seat map (wall-clock ms). */
const mapReads = new Map<Page, number[]>();
/** The delays measured, for the log. */
const delays: Record<string, number> = {};

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, { name: EVENT, rows: 3, seatsPerRow: 8, tiers: [{ name: 'Stalls', priceCents: 4000 }] });
  browser = await launchBrowser();
  contexts = [
    await browser.newContext({ viewport: { width: 1280, height: 900 } }),
    await browser.newContext({ viewport: { width: 1280, height: 900 } }),
  ];
  ana = await contexts[0]!.newPage();
  ben = await contexts[1]!.newPage();
  for (const page of [ana, ben]) {
    const reads: number[] = [];
    mapReads.set(page, reads);
    page.on('request', (request) => {
      if (request.url().includes('/trpc/inventory.seatMapCompact')) reads.push(Date.now());
    });
  }
});

afterAll(async () => {
  if (Object.keys(delays).length > 0) console.log(`live seat delays (ms): ${JSON.stringify(delays)}`);
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

/** Opens the event page and waits for its seat map and its live stream to be up. */
async function openEvent(page: Page) {
  const stream = page.waitForResponse((r) => r.url().includes('/trpc/inventory.seatChanges') && r.status() === 200);
  await page.goto(`${server.url}/events/${eventId}`);
  await page.getByRole('heading', { name: EVENT, level: 1 }).waitFor();
  await page.locator(`[data-seat="${KEY}"]`).waitFor();
  const response = await stream;
  expect(response.headers()['content-type']).toMatch(/^text\/event-stream/);
}

/**
 * Starts watching `page` for the seat's accessible name to end in `status`; the answer resolves to
 * the wall-clock time (Date.now() in the page) it first did, watched with a MutationObserver so the
 * moment is the render's, not a poll's.
 */
async function seatTurns(page: Page, status: string): Promise<() => Promise<number>> {
  const id = `${KEY}|${status}|${Date.now()}`;
  await page.evaluate(
    ({ id, key, status }) => {
      const w = window as unknown as { __seatSeen?: Record<string, number> };
      const seen = (w.__seatSeen ??= {});
      const check = () => {
        const label = document.querySelector(`[data-seat="${key}"]`)?.getAttribute('aria-label') ?? '';
        if (label.endsWith(`, ${status}`)) {
          seen[id] = Date.now();
          return true;
        }
        return false;
      };
      if (check()) return;
      const observer = new MutationObserver(() => {
        if (check()) observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
    },
    { id, key: KEY, status },
  );
  return async () => {
    await page.waitForFunction((id) => (window as unknown as { __seatSeen?: Record<string, number> }).__seatSeen?.[id] !== undefined, id, {
      timeout: 15_000,
    });
    return page.evaluate((id) => (window as unknown as { __seatSeen: Record<string, number> }).__seatSeen[id]!, id);
  };
}

/** When the answer reached the browser (wall-clock ms), from the request's own timing. */
function answeredAt(response: Response): number {
  const timing = response.request().timing();
  return timing.responseStart >= 0 ? timing.startTime + timing.responseStart : Date.now();
}

/**
 * Runs `act` on one page, which answers the response that changed the seat; the other page must
 * show the seat as `status` within LIVE_MS of that answer, with no seat-map read of its own.
 */
async function expectLive(name: string, other: Page, status: string, act: () => Promise<Response>) {
  const seen = await seatTurns(other, status);
  const readsBefore = mapReads.get(other)!.length;
  const response = await act();
  expect(response.ok()).toBe(true);
  const answered = answeredAt(response);
  const shown = await seen();
  const delay = shown - answered;
  delays[name] = delay;
  expect(delay, `${name}: the other page showed the seat ${status} ${delay} ms after the answer`).toBeLessThan(LIVE_MS);
  // Nothing re-read the map on the other page: the change came over the stream.
  expect(mapReads.get(other)!.slice(readsBefore)).toEqual([]);
  expect(await other.getByRole('button', { name: `${SEAT}, ${status}` }).count()).toBe(1);
}

describe.skipIf(!browserAvailable)('live seats across two browsers', () => {
  it('two signed-in shoppers open the event; the page keeps its map current over the stream instead of polling', async () => {
    await register(ana, server.url, { name: 'Ana Early', email: uniqueEmail('live-ana'), password: 'seat-by-seat-live-1' });
    await register(ben, server.url, { name: 'Ben Later', email: uniqueEmail('live-ben'), password: 'seat-by-seat-live-2' });
    await openEvent(ana);
    await openEvent(ben);
    await ana.getByRole('button', { name: `${SEAT}, available` }).waitFor();
    await ben.getByRole('button', { name: `${SEAT}, available` }).waitFor();
    // Polling is the fallback (every 5 s): with the stream up, a quiet 6 s brings no read of the map.
    const reads = mapReads.get(ben)!.length;
    await ben.waitForTimeout(6_000);
    expect(mapReads.get(ben)!.slice(reads)).toEqual([]);
    await expectAccessible(ben, 'the event page with live seats');
  });

  it('a seat one shopper holds turns reserved on the other map within a second, without a reload', async () => {
    await ana.getByRole('button', { name: `${SEAT}, available` }).click();
    await expectLive('hold', ben, 'reserved', async () => {
      const answer = ana.waitForResponse((r) => r.url().includes('/trpc/') && r.url().includes('tickets.reserve'));
      await ana.getByRole('button', { name: 'Hold 1 seat' }).click();
      return answer;
    });
    await ana.getByRole('button', { name: `${SEAT}, held by you` }).waitFor();
    expect(await ben.getByRole('button', { name: `${SEAT}, reserved` }).getAttribute('aria-disabled')).toBe('true');
    await shot(ben, 'live-seat-held-elsewhere');
  });

  it('released, it is available again on the other map within a second', async () => {
    await expectLive('release', ben, 'available', async () => {
      const answer = ana.waitForResponse((r) => r.url().includes('/trpc/') && r.url().includes('tickets.release'));
      await ana.getByRole('button', { name: 'Release' }).click();
      return answer;
    });
    await ana.getByText('Your seats were released.').waitFor();
    await ana.getByRole('button', { name: `${SEAT}, available` }).waitFor();
  });

  it('the other shopper holds it: each map says whose hold it is', async () => {
    await ben.getByRole('button', { name: `${SEAT}, available` }).click();
    await expectLive('hold by the other', ana, 'reserved', async () => {
      const answer = ben.waitForResponse((r) => r.url().includes('/trpc/') && r.url().includes('tickets.reserve'));
      await ben.getByRole('button', { name: 'Hold 1 seat' }).click();
      return answer;
    });
    await ben.getByRole('button', { name: `${SEAT}, held by you` }).waitFor();
    // Released again, from the page that held it.
    await expectLive('release by the other', ana, 'available', async () => {
      const answer = ben.waitForResponse((r) => r.url().includes('/trpc/') && r.url().includes('tickets.release'));
      await ben.getByRole('button', { name: 'Release' }).click();
      return answer;
    });
  });

  it('bought, it turns sold on the other map within a second', async () => {
    await ana.getByRole('button', { name: `${SEAT}, available` }).click();
    await ana.getByRole('button', { name: 'Hold 1 seat' }).click();
    await ana.getByRole('button', { name: `${SEAT}, held by you` }).waitFor();
    await ben.getByRole('button', { name: `${SEAT}, reserved` }).waitFor({ timeout: LIVE_MS * 5 });
    await ana.getByRole('button', { name: 'Buy this seat' }).click();
    await ana.getByRole('heading', { name: 'Checkout' }).waitFor();
    await ana.getByLabel('These details are right').check();
    const place = ana.getByRole('button', { name: 'Place order · $40.00' });
    await place.waitFor();
    await expectLive('purchase', ben, 'sold', async () => {
      const answer = ana.waitForResponse((r) => r.url().includes('/trpc/') && r.url().includes('tickets.purchase'));
      await place.click();
      return answer;
    });
    await ana.waitForURL(/\/tickets\?order=/);
    expect(await ben.getByRole('button', { name: `${SEAT}, sold` }).getAttribute('aria-disabled')).toBe('true');
    await ben.getByText('24 seats, 23 available.', { exact: false }).waitFor();
    await shot(ben, 'live-seat-sold-elsewhere');
    // The buyer, back on the event, sees the seat as theirs.
    await ana.goto(`${server.url}/events/${eventId}`);
    await ana.getByRole('button', { name: `${SEAT}, your ticket` }).waitFor();
  });
});
