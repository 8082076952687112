import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';
import { qrVideo } from './camera';
import { login, shot } from './flows';

/**
 * Check-in at the door with a camera: Chromium's fake camera plays a video of a ticket's QR code
 * (a Y4M file rendered here from the real barcode), and the page admits that ticket.
 */

let server: TestServer;
let browser: Browser;
let tmp: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-checkin-'));
  server = await startTestServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function result(page: Page, heading: string) {
  await page.getByRole('heading', { name: heading, level: 2, exact: true }).waitFor();
}

describe.skipIf(!browserAvailable)('check-in at the door', () => {
  it('a phone camera admits a ticket; duplicates name the first scan; offline scans wait and the server decides', async () => {
    const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const eventId = await seedEvent(server.url, token, {
      name: 'Door Test Live',
      rows: 2,
      seatsPerRow: 10,
      tiers: [{ name: 'Floor', priceCents: 3000 }],
      inDays: 1,
    });
    const api = createTesseraClient({ url: server.url, accessToken: token });
    const order = await api.tickets.purchase.mutate({
      eventId,
      seats: [1, 2, 3, 4].map((number) => ({ row: 'A', number })),
      idempotencyKey: crypto.randomUUID(),
    });
    const [first, second, third, fourth] = order.tickets.map((t) => t.barcode) as [string, string, string, string];
    const me = await api.auth.me.query();

    const video = path.join(tmp, 'ticket.y4m');
    qrVideo(first, video);
    browser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(['camera'], { origin: server.url });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/staff/checkin');
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();

    // The event on now or next is chosen; the counter starts at none of three.
    await page.getByText('0 of 4 checked in').waitFor();
    expect(await page.getByLabel('Event at this door').inputValue()).toBe(eventId);
    await page.getByLabel('Gate (optional)').fill('North door');

    // The camera sees the ticket: admitted once (it stays in view, and is not scanned again).
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await result(page, 'Admit');
    await page.getByText('Row A · Seat 1 · Floor').waitFor();
    await page.getByText('1 of 4 checked in').waitFor();
    await shot(page, 'checkin-camera-admit');
    await page.waitForTimeout(1500);
    expect(await page.getByRole('heading', { name: 'Already checked in' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Stop camera' }).click();

    // The same ticket typed again: when, where and by whom it was first admitted.
    await page.getByLabel('Barcode').fill(first);
    const pressed = Date.now();
    await page.getByRole('button', { name: 'Check in' }).click();
    await result(page, 'Already checked in');
    // Logged, not asserted (a shared machine's timing): the issue asks for under 300 ms at the door.
    console.log(`check-in: typed scan to answer on screen ${Date.now() - pressed} ms`);
    await page
      .getByText(new RegExp(`First scanned at .* at North door by ${me.name}\\.`))
      .first()
      .waitFor();

    // Offline: scans are kept on the device and said to be waiting.
    await context.setOffline(true);
    for (const code of [second, third]) {
      await page.getByLabel('Barcode').fill(code);
      await page.getByRole('button', { name: 'Check in' }).click();
      await result(page, 'Saved offline');
    }
    await page.getByText('2 scans are waiting for the connection').waitFor();
    // Meanwhile another device at the south door admits the second ticket first.
    const south = await api.checkin.scan.mutate({ barcode: second, eventId, gate: 'South door' });
    expect(south.result).toBe('OK');

    // Back online: the queue goes out by itself; the server's first scan wins.
    await context.setOffline(false);
    await page.getByText('2 scans are waiting').waitFor({ state: 'detached' });
    // The late conflict goes to the log with its first scan, and a warning says so; the big answer
    // stays with the last ticket scanned live.
    const history = page.locator('.scan-history');
    await history.getByText(/First scanned at .* at South door/).waitFor();
    await page.getByRole('alert').filter({ hasText: '1 scan made offline was refused when sent' }).waitFor();
    await history.getByText('(sent later)').nth(1).waitFor();
    await page.getByText('3 of 4 checked in').waitFor();
    const stored = await api.orders.byId.query({ id: order.id }).catch(() => null);
    if (stored) expect(stored.tickets.map((t) => t.status).sort()).toEqual(['CHECKED_IN', 'CHECKED_IN', 'CHECKED_IN', 'VALID']);
    const stats = await api.checkin.stats.query({ eventId });
    expect(stats).toEqual({ eventId, checkedIn: 3, sold: 4 });
    await shot(page, 'checkin-after-offline');

    // A scan another staff member left queued on this device is not sent under this account.
    await page.evaluate(
      ([barcode, id]) =>
        localStorage.setItem(
          'tessera:checkin-queue',
          JSON.stringify([
            { id: 'left-by-someone', barcode, eventId: id, scannedAt: new Date().toISOString(), userId: '00000000-0000-4000-8000-000000000000' },
          ]),
        ),
      [fourth, eventId] as const,
    );
    await page.reload();
    await page.getByText('1 scan made offline on this device by another staff member waits for them to sign in here again.').waitFor();
    await page.waitForTimeout(1500);
    expect(await api.checkin.stats.query({ eventId })).toEqual({ eventId, checkedIn: 3, sold: 4 });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
