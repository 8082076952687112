import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent, tokenFor } from './api';
import { register, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/** The session as a browser lives it: a signed-out visit asks nothing, two tabs share one session. */

let server: TestServer;
let browser: Browser;
let eventId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  browser = await launchBrowser();
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, token, {
    name: 'Session Check Live',
    rows: 4,
    seatsPerRow: 10,
    tiers: [{ name: 'Stalls', priceCents: 4500 }],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context;
}

/** Every failed request and every console error or page error a page shows. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

describe.skipIf(!browserAvailable)('sessions in the browser', () => {
  it('a signed-out visitor walks through the app without a single failed request or console error', async () => {
    const page = await (await newContext()).newPage();
    const problems = watch(page);
    await page.goto(server.url);
    await page
      .getByRole('link', { name: /Session Check Live/ })
      .first()
      .waitFor();
    await page.goto(`${server.url}/events/${eventId}`);
    await page.getByRole('heading', { name: 'Session Check Live' }).waitFor();
    for (const route of ['/login', '/register', '/forgot-password']) {
      await page.goto(`${server.url}${route}`);
      await page.getByRole('main').waitFor();
    }
    // A page that needs an account sends the visitor to sign in, still without asking the server.
    await page.goto(`${server.url}/tickets`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('two tabs renewing the session at the same moment both stay signed in, and the session lives on', async () => {
    const context = await newContext();
    const first = await context.newPage();
    const problems = [...[first].map(watch)];
    const user = { name: 'Tabitha Tabs', email: uniqueEmail('tabs'), password: 'two tabs at once 2027' };
    await register(first, server.url, user);
    const second = await context.newPage();
    problems.push(watch(second));
    await second.goto(`${server.url}/profile`);
    await second.getByRole('button', { name: `Account menu for ${user.name}` }).waitFor();

    for (let round = 0; round < 3; round++) {
      // The access token is gone (as after 15 minutes): both tabs must renew it, at once.
      await context.clearCookies({ name: 'tessera_at' });
      await Promise.all([first.goto(`${server.url}/profile`), second.goto(`${server.url}/tickets`)]);
      await Promise.all([
        first.getByRole('button', { name: `Account menu for ${user.name}` }).waitFor(),
        second.getByRole('button', { name: `Account menu for ${user.name}` }).waitFor(),
      ]);
    }
    // Only the expected 401s (the expired access token, once per tab and round) failed.
    expect(problems.flat().filter((p) => !/^401 .*\/trpc\/auth\.me/.test(p) && !/status of 401/.test(p))).toEqual([]);
  });
});
