import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { shot } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

let server: TestServer;
let browser: Browser;
let page: Page;
let eventId = '';

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, {
    name: 'Stadium Night',
    rows: 100,
    seatsPerRow: 200,
    tiers: [
      { name: 'Floor', priceCents: 18000 },
      { name: 'Lower', priceCents: 9500 },
      { name: 'Upper', priceCents: 4500 },
    ],
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Frame times while `action` runs, measured inside the page with requestAnimationFrame. */
async function frameTimes(action: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await action();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames.slice(1);
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

describe.skipIf(!browserAvailable)('a 20,000-seat venue', () => {
  it('draws, pans and zooms smoothly and keeps the DOM small', async () => {
    const started = Date.now();
    await page.goto(`${server.url}/events/${eventId}`);
    await page.getByText('20,000 seats, 20,000 available.').waitFor();
    const canvas = page.locator('canvas.seatmap-canvas');
    await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('canvas.seatmap-canvas')?.dataset.draws ?? 0) > 0);
    const firstPaintMs = Date.now() - started;
    const overviewDrawMs = Number(await canvas.getAttribute('data-draw-ms'));

    // At the overview no seat is its own element except the one keyboard stop.
    expect(await page.locator('.seat-button').count()).toBeLessThanOrEqual(1);

    const box = (await page.locator('.seatmap-stage').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const frames = await frameTimes(async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 12; i++) {
        await page.mouse.wheel(0, -120);
        await page.waitForTimeout(16);
      }
      await page.mouse.down();
      for (let i = 0; i < 40; i++) await page.mouse.move(cx - i * 8, cy - i * 3);
      await page.mouse.up();
      for (let i = 0; i < 6; i++) {
        await page.mouse.wheel(0, 120);
        await page.waitForTimeout(16);
      }
    });
    const zoomedDrawMs = Number(await canvas.getAttribute('data-draw-ms'));
    const p95 = percentile(frames, 0.95);
    console.log(
      `20,000 seats: first paint ${firstPaintMs} ms, overview draw ${overviewDrawMs} ms, last draw ${zoomedDrawMs} ms, ` +
        `${frames.length} frames during pan/zoom, median ${percentile(frames, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    expect(overviewDrawMs).toBeLessThan(50);
    expect(p95).toBeLessThan(50);
    expect(await page.locator('.seat-button').count()).toBeLessThanOrEqual(401);
    await shot(page, 'event-20k', false);
  });

  it('lets a keyboard user reach, name and choose a seat', async () => {
    const showAll = page.getByRole('button', { name: 'Show all' });
    await showAll.click();
    // Tab from the zoom controls lands on the map's one tab stop: the first available seat.
    await showAll.focus();
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.getAttribute('aria-label')).toMatch(/^Row A seat 1, (Floor|Lower|Upper), \$[\d,]+\.00, available$/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const label = await focused.getAttribute('aria-label');
    expect(label).toMatch(/^Row B seat 2, (Floor|Lower|Upper), \$[\d,]+\.00, available$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused.getAttribute('aria-label')).toBe(`${label}, selected`);
    await page.getByRole('list', { name: 'Selected seats' }).getByText('Row B · Seat 2').waitFor();
    await page.getByRole('button', { name: 'Sign in to hold seats' }).waitFor();
    // The focused seat is now large enough to see.
    const size = await focused.boundingBox();
    expect(size!.width).toBeGreaterThan(12);
    await shot(page, 'event-20k-keyboard', false);
  });

  it('polls the unchanged map for a 304 each time, and a change by someone else for a new map', { timeout: 60_000 }, async () => {
    // Chromium hands the page a revalidated answer as the cached 200; the network's own status
    // (304) is in the DevTools protocol's raw response events.
    const answers: number[] = [];
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const seatMapRequests = new Set<string>();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.includes('/trpc/inventory.seatMapCompact')) seatMapRequests.add(e.requestId);
    });
    cdp.on('Network.responseReceivedExtraInfo', (e) => {
      if (seatMapRequests.has(e.requestId)) answers.push(e.statusCode);
    });
    try {
      // Two polls of an unchanged map (every 5 s).
      await expect.poll(() => answers.filter((s) => s === 304).length, { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(2);
      // Someone else buys a seat: the next poll fetches the new map, which shows it taken.
      const buyer = createTesseraClient({ url: server.url, email: TEST_ADMIN.email, password: TEST_ADMIN.password });
      const bought = await buyer.tickets.purchase.mutate({ eventId, seats: [{ row: 'A', number: 1 }], idempotencyKey: 'e2e-poll-304' });
      expect(bought.tickets).toHaveLength(1);
      const before = answers.length;
      await expect.poll(() => answers.slice(before).includes(200), { timeout: 15_000, interval: 250 }).toBe(true);
      await page.getByText('20,000 seats, 19,999 available.').waitFor();
    } finally {
      await cdp.detach();
    }
    expect(answers.every((s) => s === 200 || s === 304)).toBe(true);
  });
});
