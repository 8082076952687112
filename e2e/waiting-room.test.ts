import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient, type TesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { login, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/**
 * A virtual waiting room: staff switch it on for an on-sale with a rate of one shopper a minute, so
 * nobody gets in yet. Two shoppers take the first places (through the API); a third, in a browser,
 * waits as number 3 with no seat map. Staff raise the rate: the third page sees its place fall to 2,
 * then 1, then, without a reload, the seat map opens with a pass and a seat can be held. The two
 * ahead keep their own passes.
 */
let server: TestServer;
let browser: Browser;
let contexts: BrowserContext[] = [];
let admin: TesseraClient;
let page: Page;
let eventId = '';
let startsAt = '';
const EVENT = 'Queue Night Live';
const SEAT = 'Row A seat 3, Stalls, $40.00';
const cara = { name: 'Cara Third', email: uniqueEmail('queue-cara'), password: 'third-in-line-3' };
const ahead = [
  { name: 'Ana First', email: uniqueEmail('queue-ana'), password: 'first-in-line-1' },
  { name: 'Ben Second', email: uniqueEmail('queue-ben'), password: 'second-in-line-2' },
];
let aheadApis: TesseraClient[] = [];
/** Every seat-map read Cara's page made (its URL carries the input, pass and all). */
const mapReads: string[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  server = await startTestServer();
  const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  admin = createTesseraClient({ url: server.url, accessToken: token });
  eventId = await seedEvent(server.url, token, { name: EVENT, rows: 2, seatsPerRow: 6, tiers: [{ name: 'Stalls', priceCents: 4000 }] });
  for (const shopper of ahead) await createTesseraClient({ url: server.url }).auth.register.mutate(shopper);
  aheadApis = await Promise.all(
    ahead.map(async (s) => createTesseraClient({ url: server.url, accessToken: await tokenFor(server.url, s.email, s.password) })),
  );
  browser = await launchBrowser();
  contexts = [await browser.newContext({ viewport: { width: 1280, height: 900 } })];
  page = await contexts[0]!.newPage();
  page.on('request', (request) => {
    if (request.url().includes('/trpc/inventory.seatMapCompact')) mapReads.push(decodeURIComponent(request.url()));
  });
  // Signed up before the room opens: the line forms in the seconds after.
  await register(page, server.url, cara);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

/** The seats of the map, as buttons (none while the queue shows). */
const seatCount = (p: Page) => p.locator('[data-seat]').count();

describe.skipIf(!browserAvailable)('the waiting room of an on-sale', () => {
  it('staff switch it on at one shopper a minute; two shoppers take the first places', async () => {
    // Started a moment ago: joins from now on are first come, first served. At one a minute, the
    // first admission is almost a minute away, longer than this part of the test takes.
    startsAt = new Date(Date.now() - 2_000).toISOString();
    expect(await admin.queue.configure.mutate({ eventId, startsAt, ratePerMinute: 1 })).toMatchObject({ doorsOpen: false, ratePerMinute: 1 });
    for (const [i, api] of aheadApis.entries()) {
      expect(await api.queue.join.mutate({ eventId })).toMatchObject({ state: 'waiting', position: i + 1 });
    }
  });

  it('signed out, the event page explains the queue and offers sign-in: no seat map', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}/events/${eventId}`);
    await visitor.getByRole('heading', { name: EVENT, level: 1 }).waitFor();
    const panel = visitor.getByRole('region', { name: 'Waiting room' });
    await panel.getByRole('link', { name: 'Sign in to join the queue' }).waitFor();
    expect(await seatCount(visitor)).toBe(0);
    await shot(visitor, 'waiting-room-signed-out');
    await context.close();
  });

  it('a third shopper without a pass sees no seat map, joins, and waits as number 3', async () => {
    await page.goto(`${server.url}/events/${eventId}`);
    await page.getByRole('heading', { name: EVENT, level: 1 }).waitFor();
    const panel = page.getByRole('region', { name: 'Waiting room' });
    await panel.getByRole('button', { name: 'Join the queue' }).click();
    await panel.getByText('You are number 3 in line.').waitFor();
    expect(await panel.locator('[aria-live="polite"]').textContent()).toMatch(/You are number 3 in line\.\s*Estimated wait: about 3 minutes\./);
    expect(await seatCount(page)).toBe(0);
    // The page never asked for the map without a pass, and the server would not have shown it.
    expect(mapReads).toEqual([]);
    const refused = await page.evaluate(async (id) => {
      const response = await fetch(`/trpc/inventory.seatMapCompact?input=${encodeURIComponent(JSON.stringify({ eventId: id }))}`);
      return { status: response.status, body: (await response.json()) as { error: { data: { reason?: string } } } };
    }, eventId);
    expect([refused.status, refused.body.error.data.reason]).toEqual([403, 'QUEUE_PASS_REQUIRED']);
    mapReads.length = 0;
    await expectAccessible(page, 'the waiting room, in line');
    await shot(page, 'waiting-room-in-line');
  });

  it('staff raise the rate: the place falls to 2, then 1, and the seat map opens without a reload; a seat is held on the pass', async () => {
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { queueMark?: number }).queueMark = 1));
    // Once in, the map's live updates stream with the pass too.
    const liveSeats = page.waitForResponse((r) => r.url().includes('/trpc/inventory.seatChanges') && r.status() === 200, { timeout: 30_000 });
    // Twenty a minute, one every three seconds: each place shows for long enough to be seen.
    await admin.queue.configure.mutate({ eventId, startsAt, ratePerMinute: 20 });
    const panel = page.getByRole('region', { name: 'Waiting room' });
    await panel.getByText('You are number 2 in line.').waitFor({ timeout: 15_000 });
    await panel.getByText('You are number 1 in line.').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: `${SEAT}, available` }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { queueMark?: number }).queueMark)).toBe(1);
    const passNotice = page.getByRole('status').filter({ hasText: /^Your pass:/ });
    await passNotice.waitFor();
    expect(await passNotice.textContent()).toMatch(/^Your pass: hold seats by \d{1,2}:\d{2} [AP]M, buy by \d{1,2}:\d{2} [AP]M\.$/);
    expect(await page.getByRole('region', { name: 'Waiting room' }).count()).toBe(0);
    // Every read of the map carried the pass.
    expect(mapReads.length).toBeGreaterThan(0);
    for (const url of mapReads) expect(url).toContain('"pass":"');
    expect(decodeURIComponent((await liveSeats).url())).toContain('"pass":"');
    await shot(page, 'waiting-room-admitted');

    await page.getByRole('button', { name: `${SEAT}, available` }).click();
    await page.getByRole('button', { name: 'Hold 1 seat' }).click();
    await page.getByRole('button', { name: `${SEAT}, held by you` }).waitFor();
    const caraApi = createTesseraClient({ url: server.url, accessToken: await tokenFor(server.url, cara.email, cara.password) });
    expect((await caraApi.queue.join.mutate({ eventId })).state).toBe('shopping');
  });

  it('the two ahead were let in first and keep their own passes', async () => {
    const [ana, ben] = await Promise.all(aheadApis.map((api) => api.queue.join.mutate({ eventId })));
    expect([ana!.state, ben!.state]).toEqual(['admitted', 'admitted']);
    // Ben's pass holds a seat for Ben; it is his alone.
    await expect(aheadApis[0]!.tickets.reserve.mutate({ eventId, seats: [{ row: 'B', number: 1 }], pass: ben!.pass!.token })).rejects.toMatchObject({
      data: { reason: 'QUEUE_PASS_REQUIRED' },
    });
    await aheadApis[1]!.tickets.reserve.mutate({ eventId, seats: [{ row: 'B', number: 1 }], pass: ben!.pass!.token });
    expect((await aheadApis[1]!.queue.join.mutate({ eventId })).state).toBe('shopping');
    expect((await aheadApis[0]!.queue.join.mutate({ eventId })).state).toBe('admitted');
    expect(await admin.queue.stats.query({ eventId })).toMatchObject({ waiting: 0, admitted: 1, shopping: 2, done: 0, lapsed: 0, ratePerMinute: 20 });
  });

  it('staff watch the room on the event’s Waiting room tab', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const clerk = await context.newPage();
    await login(clerk, server.url, TEST_ADMIN.email, TEST_ADMIN.password, `/staff/events?event=${eventId}`);
    await clerk.getByRole('heading', { name: EVENT, level: 2 }).waitFor();
    await clerk.getByRole('tab', { name: 'Waiting room' }).click();
    const numbers = clerk.getByRole('region', { name: 'Now' });
    await numbers.getByText('Shopping').waitFor();
    expect(await numbers.locator('.stat').allTextContents()).toEqual([
      'Waiting0',
      'Admitted1',
      'Shopping2',
      'Done0',
      'Lapsed0',
      'Admitted last minute3',
      'Sold0',
      'Rate a minute20',
    ]);
    expect(await clerk.getByLabel('Shoppers let in per minute').inputValue()).toBe('20');
    await shot(clerk, 'waiting-room-staff');
  });
});
