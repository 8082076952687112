import fs from 'node:fs';
import type { TestApp } from './app.js';

export interface SentMail {
  to: string;
  subject: string;
  /** The action link, when the mail has one. */
  link: string | null;
  /** The whole .eml file. */
  raw: string;
}

/**
 * Mails written since log line `after` (mail goes to .eml files in tests, and each is logged).
 * Waits for work done after the answer (background mail) first.
 */
export async function mailsSince(t: Pick<TestApp, 'app' | 'logs'>, after = 0): Promise<SentMail[]> {
  await t.app.deps.background.idle();
  return t.logs
    .slice(after)
    .filter((l) => l.msg === 'mail written to file')
    .map((l) => ({
      to: String(l.to),
      subject: String(l.subject),
      link: typeof l.link === 'string' ? l.link : null,
      raw: fs.readFileSync(String(l.file), 'utf8'),
    }));
}
