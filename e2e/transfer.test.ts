import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseraClient } from '../shared/sdk';
import { seedEvent, tokenFor } from './api';
import { expectAccessible } from './axe';
import { mailTo, register, shot, uniqueEmail } from './flows';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';

/**
 * Passing a ticket on: a buyer sends one of two seats to a friend's address from My tickets; the
 * friend opens the mailed link signed out, creates an account with that address, comes back and
 * claims it. The ticket gets a new barcode: the friend's opens the door, the buyer's old one no longer does.
 */
let server: TestServer;
let browser: Browser;
let buyerContext: BrowserContext;
let friendContext: BrowserContext;
let buyerPage: Page;
let friendPage: Page;
let mailDir: string;
let adminToken = '';
let eventId = '';
let oldBarcode = '';
let newBarcode = '';
let claimLink = '';
const EVENT = 'Harbour Serenade';
const buyer = { name: 'Morgan Giver', email: uniqueEmail('giver'), password: 'pass-it-on-please-7' };
const friend = { name: 'Robin Receiver', email: uniqueEmail('friend'), password: 'thanks-a-lot-friend-5' };

beforeAll(async () => {
  if (!browserAvailable) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-transfer-'));
  mailDir = path.join(tmp, 'mail');
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data') });
  adminToken = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  eventId = await seedEvent(server.url, adminToken, { name: EVENT, rows: 2, seatsPerRow: 6, tiers: [{ name: 'Stalls', priceCents: 4000 }] });
  browser = await launchBrowser();
  buyerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  friendContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  buyerPage = await buyerContext.newPage();
  friendPage = await friendContext.newPage();
});

afterAll(async () => {
  await buyerContext?.close();
  await friendContext?.close();
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)('passing a ticket on', () => {
  it('a buyer sends one of their two tickets to a friend’s address from My tickets', async () => {
    const page = buyerPage;
    await register(page, server.url, buyer);
    // The two seats are bought through the SDK, as a script would: the page is what is tested here.
    const api = createTesseraClient({ url: server.url, accessToken: await tokenFor(server.url, buyer.email, buyer.password) });
    const order = await api.tickets.purchase.mutate({
      eventId,
      seats: [
        { row: 'A', number: 3 },
        { row: 'A', number: 4 },
      ],
      idempotencyKey: crypto.randomUUID(),
    });
    oldBarcode = order.tickets.find((t) => t.number === 4)!.barcode;

    await page.goto(`${server.url}/tickets`);
    await page.getByRole('img', { name: 'QR code for row A seat 4' }).waitFor();
    await page.getByRole('button', { name: 'Send to someone row A seat 4' }).click();
    const form = page.getByRole('form', { name: 'Send row A seat 4 to someone' });
    // One's own address is refused beside the field.
    await form.getByLabel('Their email').fill(buyer.email);
    await form.getByRole('button', { name: 'Send ticket' }).click();
    await form.getByText('That is your own address', { exact: false }).waitFor();
    await form.getByLabel('Their email').fill(friend.email);
    await expectAccessible(page, 'My tickets with the send form open');
    await shot(page, 'transfer-send-form');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'transfer-send-form-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.getByRole('button', { name: 'Send ticket' }).click();
    await page.getByText(`Sent to ${friend.email}. The ticket stays yours until they claim it.`).waitFor();

    // Until it is claimed, the ticket is still the buyer's and still shows its code.
    const seat = page.locator('li.ticket').filter({ hasText: 'Row A · Seat 4' });
    await seat.getByText(`Sent to ${friend.email} — waiting for them to claim it`).waitFor();
    await seat.getByRole('button', { name: 'Take back row A seat 4' }).waitFor();
    await seat.getByRole('img', { name: 'QR code for row A seat 4' }).waitFor();
    await shot(page, 'transfer-pending');

    const mail = await mailTo(mailDir, friend.email, /sent you a ticket/);
    expect(mail.subject).toBe(`${buyer.name} sent you a ticket for ${EVENT}`);
    claimLink = /https?:\/\/\S+\/transfer\?token=[^\s"<>]+/.exec(mail.text ?? '')![0];
    expect(new URL(claimLink).pathname).toBe('/transfer');
  });

  it('the friend opens the link signed out, creates an account with that address, comes back and claims the ticket', async () => {
    const page = friendPage;
    const link = new URL(claimLink);
    await page.goto(`${server.url}${link.pathname}${link.search}`);
    await page.getByRole('heading', { name: 'A ticket for you' }).waitFor();
    await page.getByText(`${buyer.name} sent this ticket to ${friend.email}.`).waitFor();
    await page.getByText('Row A · Seat 4').waitFor();
    expect(await page.title()).toBe('Claim a ticket · Tessera');
    await expectAccessible(page, 'the claim page, signed out');
    await shot(page, 'transfer-claim-signed-out');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(friend.email);
    await page.getByLabel('Full name').fill(friend.name);
    await page.getByLabel('Password', { exact: true }).fill(friend.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL(/\/transfer\?token=/);
    await page.getByRole('button', { name: 'Claim ticket' }).click();
    await page.getByRole('heading', { name: 'It’s yours' }).waitFor();
    await page.getByRole('img', { name: 'QR code for row A seat 4' }).waitFor();
    newBarcode = (await page.locator('.claim-code code').textContent()) ?? '';
    expect(newBarcode).not.toBe('');
    expect(newBarcode).not.toBe(oldBarcode);
    await expectAccessible(page, 'the claim page after claiming');
    await shot(page, 'transfer-claimed');

    await page.getByRole('link', { name: 'Go to My tickets' }).click();
    const received = page.getByRole('region', { name: 'Tickets sent to you' });
    await received.getByRole('img', { name: 'QR code for row A seat 4' }).waitFor();
    await received.getByText(`From ${buyer.name}`).waitFor();
    await received.getByRole('link', { name: EVENT }).waitFor();
    expect(await page.getByText('You have no tickets yet.').count()).toBe(0);
    // Its PDF comes from the buyer's order, which the friend may print this one ticket of.
    const download = page.waitForEvent('download');
    await received.getByRole('button', { name: 'PDF of row A seat 4' }).click();
    expect((await download).suggestedFilename()).toMatch(/^tickets-TSR-[0-9A-Z-]+-A4\.pdf$/);
    await shot(page, 'transfer-received');
  });

  it('the buyer sees it passed on, and both get a mail', async () => {
    const page = buyerPage;
    await page.reload();
    const seat = page.locator('li.ticket').filter({ hasText: 'Row A · Seat 4' });
    await seat.getByText(`Passed on to ${friend.email} on`, { exact: false }).waitFor();
    await seat.getByText('this copy no longer opens the door', { exact: false }).waitFor();
    expect(await seat.getByRole('img').count()).toBe(0);
    expect(await seat.getByRole('button').count()).toBe(0);
    // The other seat is untouched.
    await page.getByRole('img', { name: 'QR code for row A seat 3' }).waitFor();
    await shot(page, 'transfer-passed-on');

    const received = await mailTo(mailDir, friend.email, /^Your ticket for /);
    expect(received.subject).toBe(`Your ticket for ${EVENT} · row A, seat 4`);
    expect(received.attachments.map((a) => a.contentType)).toContain('application/pdf');
    const completed = await mailTo(mailDir, buyer.email, / was claimed by /);
    expect(completed.subject).toBe(`Your ticket for ${EVENT} was claimed by ${friend.email}`);
  });

  it('the buyer takes back a ticket sent by mistake: its link no longer works', async () => {
    const page = buyerPage;
    const stranger = uniqueEmail('typo');
    const seat = page.locator('li.ticket').filter({ hasText: 'Row A · Seat 3' });
    await seat.getByRole('button', { name: 'Send to someone row A seat 3' }).click();
    await page.getByRole('form', { name: 'Send row A seat 3 to someone' }).getByLabel('Their email').fill(stranger);
    await page.getByRole('form', { name: 'Send row A seat 3 to someone' }).getByRole('button', { name: 'Send ticket' }).click();
    await seat.getByText(`Sent to ${stranger} — waiting for them to claim it`).waitFor();
    await seat.getByRole('button', { name: 'Take back row A seat 3' }).click();
    await page.getByText(`Taken back: the link sent to ${stranger} no longer works.`).waitFor();
    expect(await seat.getByText('waiting for them to claim it', { exact: false }).count()).toBe(0);
    await seat.getByRole('img', { name: 'QR code for row A seat 3' }).waitFor();

    const mail = await mailTo(mailDir, stranger, /sent you a ticket/);
    const link = new URL(/https?:\/\/\S+\/transfer\?token=[^\s"<>]+/.exec(mail.text ?? '')![0]);
    await friendPage.goto(`${server.url}${link.pathname}${link.search}`);
    await friendPage.getByRole('heading', { name: 'This ticket can no longer be claimed' }).waitFor();
    await friendPage.getByText(`${buyer.name} took this ticket back`, { exact: false }).waitFor();
    expect(await friendPage.getByRole('button', { name: 'Claim ticket' }).count()).toBe(0);
    await shot(friendPage, 'transfer-taken-back');
  });

  it('at the door the old barcode is refused and the new one lets the friend in', async () => {
    const staff = createTesseraClient({ url: server.url, accessToken: adminToken });
    const old = await staff.checkin.scan.mutate({ barcode: oldBarcode, eventId });
    expect(old.result).toBe('INVALID');
    const fresh = await staff.checkin.scan.mutate({ barcode: newBarcode, eventId });
    expect(fresh.result).toBe('OK');
  });
});
