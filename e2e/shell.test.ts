import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, SCREENSHOT_DIR, startTestServer, type TestServer } from './harness';

let server: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // A CSP violation or a crash in the bundle shows up here, not as a failed assertion.
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('app shell', () => {
  it('shows the server health on the start page', async () => {
    await page.goto(server.url);

    const status = page.getByRole('region', { name: 'Server status' });
    await status.getByText('pglite', { exact: true }).waitFor();
    expect(await status.getByText('ok', { exact: true }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('serves the app for a client-side route', async () => {
    const response = await page.goto(`${server.url}/events/unknown`);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.getByRole('link', { name: 'Tessera' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'not-found.png'), fullPage: true });
  });

  it('answers an unknown API path with a JSON 404, not the app', async () => {
    const response = await fetch(`${server.url}/trpc/nope`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain('<html');
  });
});
