import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../server/lib/totp';
import { seedEvent, tokenFor } from './api';
import { browserAvailable, launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from './harness';
import { login, logout, register, shot, uniqueEmail } from './flows';

/** Account pages: profile, picture, password, two-step sign-in, sessions, mailed links, event editing. */

let server: TestServer;
let browser: Browser;
let tmp: string;
let mailDir: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

function mailFiles(): string[] {
  return fs.existsSync(mailDir)
    ? fs
        .readdirSync(mailDir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];
}

/**
 * The link in the newest mail to `to` that arrived after `seen` files: mail goes out after the
 * answer (password reset), so this waits for it. The link is rebased onto the test server.
 */
async function mailedLink(to: string, kind: 'verify-email' | 'reset-password', seen: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const file of mailFiles().slice(seen).reverse()) {
      // Quoted-printable: join soft line breaks, decode =XX.
      const text = fs
        .readFileSync(path.join(mailDir, file), 'utf8')
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      if (!text.includes(`To: ${to}`)) continue;
      const match = new RegExp(`/${kind}\\?token=([A-Za-z0-9_%-]+)`).exec(text);
      if (match) return `${server.url}/${kind}?token=${match[1]}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${kind} mail to ${to} in ${mailDir}`);
}

async function expectSignedIn(page: Page, name: string) {
  await page.getByRole('button', { name: `Account menu for ${name}` }).waitFor();
}

async function expectLoginRefused(page: Page, email: string, password: string) {
  await login(page, server.url, email, password);
  await page.getByRole('alert').filter({ hasText: 'Invalid email or password' }).waitFor();
  expect(page.url()).toContain('/login');
}

beforeAll(async () => {
  if (!browserAvailable) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-account-'));
  mailDir = path.join(tmp, 'mail');
  server = await startTestServer({ mailDir, dataDir: path.join(tmp, 'data') });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!browserAvailable)('account pages in the real app', () => {
  it('profile: details, picture and password', async () => {
    const page = await newPage();
    const user = { name: 'Pat Profile', email: uniqueEmail('profile'), password: 'first-pass-2027' };
    await register(page, server.url, user);

    await page.goto(`${server.url}/profile`);
    await page.getByRole('heading', { name: 'Profile & security' }).waitFor();
    await page.getByLabel('Full name').fill('Patricia Profile');
    await page.getByLabel('Phone (optional)').fill('+1 555 010 2030');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Your details are saved.' }).waitFor();
    await expectSignedIn(page, 'Patricia Profile');
    await page.reload();
    await page.getByLabel('Full name').waitFor();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Patricia Profile');
    expect(await page.getByLabel('Phone (optional)').inputValue()).toBe('+1 555 010 2030');
    user.name = 'Patricia Profile';

    // A file the server cannot read as a picture: its reason shows beside the field.
    const fake = path.join(tmp, 'not-a-picture.png');
    fs.writeFileSync(fake, 'just some text, not a PNG');
    await page.getByLabel('Choose a picture').setInputFiles(fake);
    await page.getByRole('button', { name: 'Upload picture' }).click();
    await page.locator('#avatar-error').getByText('That file is not an image we can read. Use a JPEG, PNG or WebP picture.').waitFor();
    expect(await page.getByLabel('Choose a picture').getAttribute('aria-describedby')).toBe('avatar-error');

    // A picture: chosen (preview), uploaded, then served from /api/avatars/ in the form and the navbar.
    const png = path.join(tmp, 'avatar.png');
    await sharp({ create: { width: 200, height: 160, channels: 3, background: { r: 30, g: 120, b: 200 } } })
      .png()
      .toFile(png);
    await page.getByLabel('Choose a picture').setInputFiles(png);
    await page.getByRole('img', { name: 'Preview of your new picture' }).waitFor();
    await page.getByRole('button', { name: 'Upload picture' }).click();
    await page.getByRole('status').filter({ hasText: 'Your picture is updated.' }).waitFor();
    const navAvatar = page.locator('.profile-button img.avatar');
    await navAvatar.waitFor();
    const formAvatar = page.locator('.avatar-preview img.avatar');
    for (const img of [navAvatar, formAvatar]) {
      expect(await img.getAttribute('src')).toMatch(/^\/api\/avatars\/[0-9a-f-]{36}-[0-9a-f]{24}\.webp$/);
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    }

    await page.getByLabel('Current password').fill('not-the-password-1');
    await page.getByLabel('New password').fill('second-pass-2027');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page
      .locator('.field', { has: page.getByLabel('Current password') })
      .getByText('Your current password is not correct.')
      .waitFor();
    await page.getByLabel('Current password').fill(user.password);
    await page.getByLabel('New password').fill('second-pass-2027');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    await logout(page, user.name);
    await expectLoginRefused(page, user.email, user.password);
    await login(page, server.url, user.email, 'second-pass-2027');
    await expectSignedIn(page, user.name);
  });

  it('two-step sign-in: set up, sign in with a code, then with a recovery code', async () => {
    const page = await newPage();
    const user = { name: 'Tove Totp', email: uniqueEmail('mfa'), password: 'two-steps-ahead-9' };
    await register(page, server.url, user);
    await page.goto(`${server.url}/profile`);
    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    const qr = page.getByRole('img', { name: 'QR code to add Tessera to your authenticator app' });
    await qr.waitFor();
    expect(await qr.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    const secret = ((await page.locator('code.secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    // A code from ten minutes ago is refused beside the field.
    await page.getByLabel('Code from the app').fill(await totpCode(secret, Date.now() / 1000 - 600));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page
      .locator('.field', { has: page.getByLabel('Code from the app') })
      .getByText('That code is not right.', { exact: false })
      .waitFor();
    await page.getByLabel('Code from the app').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Two-step verification is on' }).waitFor();
    const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('Signing in asks for a code from your authenticator app.').waitFor();
    // A full-page capture of a scrolled page paints the sticky navbar where the viewport was.
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'profile-mfa-on');
    await logout(page, user.name);

    // The code for the next time step: the one enabling used cannot be used again.
    await login(page, server.url, user.email, user.password);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Authentication code').fill(await totpCode(secret, Date.now() / 1000 + 30));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expectSignedIn(page, user.name);
    await logout(page, user.name);

    await login(page, server.url, user.email, user.password);
    await page.getByLabel('Authentication code').fill(codes[3]!);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expectSignedIn(page, user.name);
    await logout(page, user.name);

    // A recovery code works once.
    await login(page, server.url, user.email, user.password);
    await page.getByLabel('Authentication code').fill(codes[3]!);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That code is not right.', { exact: false }).waitFor();
    expect(page.url()).toContain('/login');
  });

  it('sessions: signing out another device sends it to the sign-in page', async () => {
    const first = await newPage();
    const second = await newPage();
    const user = { name: 'Sol Sessions', email: uniqueEmail('sessions'), password: 'many-devices-2027' };
    await register(first, server.url, user);
    await login(second, server.url, user.email, user.password);
    await expectSignedIn(second, user.name);

    await first.goto(`${server.url}/profile`);
    const region = first.getByRole('region', { name: 'Where you’re signed in' });
    const items = region.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(2);
    expect(await region.getByText('This device').count()).toBe(1);
    await region.getByRole('button', { name: 'Sign out', exact: true }).click();
    await first.getByRole('status').filter({ hasText: 'That device is signed out.' }).waitFor();
    await expect.poll(() => items.count()).toBe(1);

    await second.goto(`${server.url}/tickets`);
    await second.waitForURL(`${server.url}/login?next=%2Ftickets`);
    await second.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('forgot password: the mailed link sets a new password once', async () => {
    const page = await newPage();
    const user = { name: 'Fern Forgetful', email: uniqueEmail('forgot'), password: 'lost-it-again-2027' };
    await register(page, server.url, user);
    await logout(page, user.name);

    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    const seen = mailFiles().length;
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const link = await mailedLink(user.email, 'reset-password', seen);

    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await shot(page, 'reset-password');
    await page.getByLabel('New password', { exact: true }).fill('found-a-new-one-2027');
    await page.getByLabel('Repeat the new password').fill('found-a-new-one-2027');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('found-a-new-one-2027');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectSignedIn(page, user.name);
    await logout(page, user.name);
    await expectLoginRefused(page, user.email, user.password);

    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('yet-another-one-2027');
    await page.getByLabel('Repeat the new password').fill('yet-another-one-2027');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'This reset link is invalid, expired or already used.' }).waitFor();
    await expectLoginRefused(page, user.email, 'yet-another-one-2027');
  });

  it('verify email: the mailed link confirms the address', async () => {
    const page = await newPage();
    const user = { name: 'Vic Verify', email: uniqueEmail('verify'), password: 'confirm-me-2027' };
    await register(page, server.url, user);
    await page.goto(`${server.url}/profile`);
    await page.getByText('Your email address is not confirmed yet.').waitFor();
    const seen = mailFiles().length;
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByRole('button', { name: 'Link sent' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `We sent a confirmation link to ${user.email}.` })
      .waitFor();
    const link = await mailedLink(user.email, 'verify-email', seen);

    await page.goto(link);
    await page.getByText('Your email is confirmed. Thank you!').waitFor();
    await page.getByRole('link', { name: 'Go to your profile' }).click();
    await page.getByRole('heading', { name: 'Profile & security' }).waitFor();
    await page.getByText('Confirmed.').waitFor();
    expect(await page.getByText('Your email address is not confirmed yet.').count()).toBe(0);

    await page.goto(link);
    await page.getByRole('alert').getByText('This confirmation link is invalid, expired or already used.', { exact: false }).waitFor();
  });

  it('staff rename and cancel an event, and the public pages follow', async () => {
    const token = await tokenFor(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const eventId = await seedEvent(server.url, token, {
      name: 'Old Name Revue',
      rows: 2,
      seatsPerRow: 4,
      tiers: [{ name: 'Floor', priceCents: 2500 }],
    });

    const staff = await newPage();
    await login(staff, server.url, TEST_ADMIN.email, TEST_ADMIN.password, `/staff/events?event=${eventId}`);
    await staff.getByRole('heading', { name: 'Old Name Revue', level: 2 }).waitFor();
    await staff.getByRole('textbox', { name: 'Name', exact: true }).fill('New Name Revue');
    await staff.getByRole('button', { name: 'Save changes' }).click();
    await staff.getByRole('status').filter({ hasText: 'Event saved.' }).waitFor();
    await staff.getByRole('heading', { name: 'New Name Revue', level: 2 }).waitFor();
    await staff.getByRole('navigation', { name: 'All events' }).getByText('New Name Revue').waitFor();

    const visitor = await newPage();
    await visitor.goto(server.url);
    await visitor.getByRole('link', { name: /New Name Revue/ }).waitFor();
    expect(await visitor.getByText('Old Name Revue').count()).toBe(0);

    await staff.getByRole('button', { name: 'Cancel event' }).click();
    await staff.getByRole('button', { name: 'Yes, cancel New Name Revue' }).click();
    await staff.getByRole('status').filter({ hasText: 'The event is cancelled.' }).waitFor();
    await staff.locator('.badge', { hasText: 'Cancelled' }).first().waitFor();
    expect(await staff.getByRole('textbox', { name: 'Name', exact: true }).isDisabled()).toBe(true);

    // Customers: gone from the list of events on sale; its own page says it is cancelled.
    await visitor.reload();
    await visitor.getByText('No events are on sale right now. Check back soon.').waitFor();
    await visitor.goto(`${server.url}/events/${eventId}`);
    await visitor.getByRole('heading', { name: 'New Name Revue', level: 1 }).waitFor();
    await visitor.getByText('Cancelled — no tickets are on sale').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
