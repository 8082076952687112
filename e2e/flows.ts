import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { expectAccessible } from './axe';
import { SCREENSHOT_DIR } from './harness';

/** Helpers the browser tests share: they act through the pages, as a person would. */

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** A screenshot of the page for people to look at, after axe-core has checked it: every page the suite shows is checked. */
export async function shot(page: Page, name: string, fullPage = true) {
  await expectAccessible(page, name);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

export async function register(page: Page, baseUrl: string, user: { name: string; email: string; password: string; requestStaff?: boolean }) {
  await page.goto(`${baseUrl}/register`);
  await page.getByLabel('Full name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  if (user.requestStaff) await page.getByLabel('Request staff access').check();
  await expectAccessible(page, 'the registration page');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: `Account menu for ${user.name}` }).waitFor();
}

export async function login(page: Page, baseUrl: string, email: string, password: string, next?: string) {
  await page.goto(`${baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await expectAccessible(page, 'the sign-in page');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function logout(page: Page, name: string) {
  await page.getByRole('button', { name: `Account menu for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
}

/** Creates an on-sale event with one tier and rows x seats through the staff pages. */
export async function createEventAsStaff(
  page: Page,
  baseUrl: string,
  event: { name: string; venue: string; tier: string; price: string; rows: number; seatsPerRow: number },
) {
  await page.goto(`${baseUrl}/staff/events?event=new`);
  await page.getByLabel('Name').fill(event.name);
  await page.getByLabel('Venue', { exact: true }).fill(event.venue);
  const start = new Date(Date.now() + 30 * 24 * 3600_000);
  const local = `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}-${String(start.getDate()).padStart(2, '0')}T19:30`;
  await page.getByLabel('Starts').fill(local);
  await page.getByLabel('Status').selectOption('ON_SALE');
  await page.getByRole('button', { name: 'Create event' }).click();
  await page.getByRole('heading', { name: event.name, level: 2 }).waitFor();

  await page.getByRole('tab', { name: 'Prices' }).click();
  await page.getByLabel('Tier name').first().fill(event.tier);
  await page
    .getByLabel(/^Price \(/)
    .first()
    .fill(event.price);
  await page.getByRole('button', { name: 'Save tiers' }).click();
  await page.getByText('Price tiers saved.').waitFor();

  await page.getByRole('tab', { name: 'Seats' }).click();
  await page.getByLabel('Rows', { exact: true }).fill(String(event.rows));
  await page.getByLabel('Seats per row').fill(String(event.seatsPerRow));
  await page.getByLabel('To row #').first().fill(String(event.rows));
  const total = event.rows * event.seatsPerRow;
  await page.getByRole('button', { name: `Create ${total.toLocaleString('en-US')} seats` }).click();
  await page.getByText(`${total.toLocaleString('en-US')} seats created.`).waitFor();
  return new URL(page.url()).searchParams.get('event')!;
}

/**
 * The newest mail in `mailDir` to `to` whose subject matches, once it has arrived: mail goes out
 * after the answer (the order outbox, the sweep's offers), so this waits for it (up to 20 s).
 */
export async function mailTo(mailDir: string, to: string, subject: RegExp): Promise<ParsedMail> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).sort().reverse() : [];
    for (const file of files) {
      const mail = await simpleParser(fs.readFileSync(path.join(mailDir, file)));
      const address = mail.to && !Array.isArray(mail.to) ? mail.to.text : '';
      if (address === to && subject.test(mail.subject ?? '')) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no mail to ${to} matching ${subject}`);
}
