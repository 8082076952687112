import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { qrVideo } from './camera';
import { login, shot } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/**
 * Paying at the box office: the clerk scans the order's QR code (Chromium's fake camera plays a
 * video of it), sees what to take, and records the payment.
 */
let server: TestServer;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  if (!browserAvailable) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-box-office-'));
  server = await startTestServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!browserAvailable)('paying at the box office', () => {
  it('the clerk scans the order code, sees the amount to take, and marks it paid', async () => {
    const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const eventId = await seedEvent(server.url, token, {
      name: 'Box Office Night',
      rows: 1,
      seatsPerRow: 4,
      tiers: [{ name: 'Stalls', priceCents: 2500 }],
      paymentMethods: ['instant', 'box_office'],
    });
    const api = createTesseraClient({ url: server.url, accessToken: token });
    const order = await api.tickets.purchase.mutate({
      eventId,
      seats: [
        { row: 'A', number: 1 },
        { row: 'A', number: 2 },
      ],
      idempotencyKey: crypto.randomUUID(),
      paymentMethod: 'box_office',
    });
    expect(order.status).toBe('PENDING');

    const video = path.join(tmp, 'order.y4m');
    qrVideo(order.number, video);
    browser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['camera'], { origin: server.url });
    const page = await context.newPage();
    await login(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password, '/staff/orders');
    const box = page.getByRole('region', { name: 'Record a payment' });
    await box.waitFor();

    await box.getByRole('button', { name: 'Scan with camera' }).click();
    await box.getByText('To take: $50.00').waitFor();
    await box.getByText(`Order ${order.number} · Box Office Night · A1, A2`).waitFor();
    await box.getByRole('button', { name: 'Stop camera' }).click();
    // Let the button's colour transition end (axe reads colours mid-way otherwise).
    await box.getByRole('button', { name: 'Scan with camera' }).waitFor();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await shot(page, 'box-office-scanned-order');

    await box.locator('.scanned-order').getByRole('button', { name: 'Mark paid' }).click();
    await page.getByText(`Order ${order.number} is paid: $50.00.`).waitFor();
    const paid = await api.orders.byId.query({ id: order.id });
    expect(paid.status).toBe('PAID');
    expect(paid.tickets.map((t) => t.status)).toEqual(['VALID', 'VALID']);
  });
});
