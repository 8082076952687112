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
    // Chromium logs every failed request as an error too, so a signed-out visit must cause none.
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('app shell', () => {
  it('shows the start page with its search and the navbar', async () => {
    await page.goto(server.url);

    await page.getByRole('heading', { name: 'Find your seat' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search events' }).waitFor();
    await page.getByText('No events are on sale right now. Check back soon.').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home-empty.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows the server health answer in the footer', async () => {
    await page.goto(server.url);
    const status = page.getByLabel(/^Server ok, embedded PostgreSQL \(pglite\), version \d+\.\d+\.\d+$/);
    await status.waitFor();
    expect(await status.textContent()).toMatch(/v\d+\.\d+\.\d+ on embedded PostgreSQL \(pglite\)/);
  });

  it('serves the app for a client-side route', async () => {
    const response = await page.goto(`${server.url}/no/such/page`);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.getByRole('link', { name: 'Tessera' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'not-found.png'), fullPage: true });
  });

  it('says so when an event does not exist', async () => {
    await page.goto(`${server.url}/events/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { name: 'Event not found' }).waitFor();
    expect(await page.getByRole('link', { name: 'See all events' }).isVisible()).toBe(true);
  });

  it('answers an unknown API path with a JSON 404, not the app', async () => {
    const response = await fetch(`${server.url}/trpc/nope`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain('<html');
  });

  it('serves a production bundle: no React development build, no source paths', async () => {
    const html = await (await fetch(server.url)).text();
    const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const code = await (await fetch(`${server.url}${script}`)).text();
      expect(code).not.toContain('jsxDEV');
      expect(code).not.toContain(process.cwd());
    }
  });
  it("says we'll be right back while the server answers 503, keeps retrying, and recovers on its own", async () => {
    // The server's side (a database that cannot be reached -> 503 with Retry-After) is tested in
    // server/http/readiness.test.ts; here the browser sees that answer, as the server words it.
    const outage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let refused = 0;
    let down = true;
    await outage.route('**/trpc/**', async (route) => {
      if (!down) return route.continue();
      refused++;
      const url = new URL(route.request().url());
      const names = url.pathname.replace('/trpc/', '').split(',');
      const error = {
        error: {
          message: "We'll be right back: Tessera is briefly unavailable. Please try again in a few seconds.",
          code: -32603,
          data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, reason: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 5 },
        },
      };
      await route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '5' },
        body: JSON.stringify(url.searchParams.get('batch') ? names.map(() => error) : error),
      });
    });
    try {
      await outage.goto(server.url);
      const banner = outage.getByRole('status').filter({ hasText: "We'll be right back" });
      await banner.waitFor();
      await outage.screenshot({ path: path.join(SCREENSHOT_DIR, 'service-unavailable.png') });
      const before = refused;
      // It retries by itself: more refused requests arrive without any action.
      await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThan(before);
      down = false;
      await banner.waitFor({ state: 'detached', timeout: 20_000 }).catch(async () => {
        // The banner's live region stays in the page, emptied; it must no longer say anything.
        await expect.poll(async () => (await banner.count()) === 0, { timeout: 20_000 }).toBe(true);
      });
      await outage.getByRole('heading', { name: 'Find your seat' }).waitFor();
      await outage.getByText('No events are on sale right now. Check back soon.').waitFor({ timeout: 20_000 });
    } finally {
      await outage.close();
    }
  });
});
