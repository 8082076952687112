import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, escapeHtml } from './mail.js';

const mail = {
  to: 'ana@example.com',
  subject: 'Confirm your email',
  text: 'Open http://127.0.0.1:3000/verify-email?token=abc',
  html: '<p><a href="http://127.0.0.1:3000/verify-email?token=abc">Confirm</a></p>',
  link: 'http://127.0.0.1:3000/verify-email?token=abc',
};

describe('mail over SMTP', () => {
  const received: { from: string; to: string[]; data: string }[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    // A real SMTP server, in process.
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers plain text and HTML to the SMTP server', async () => {
    const lines: object[] = [];
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailDir: '/nonexistent', log: { info: (o) => lines.push(o) } });
    await mailer.send(mail);
    mailer.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['ana@example.com']);
    expect(received[0]!.data).toContain('Subject: Confirm your email');
    expect(received[0]!.data).toContain('Content-Type: text/plain');
    expect(received[0]!.data).toContain('Content-Type: text/html');
    expect(lines).toEqual([{ to: 'ana@example.com', subject: 'Confirm your email' }]);
  });

  it('fails loudly when the SMTP server is unreachable', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', mailDir: '/nonexistent', log: { info: () => {} } });
    await expect(mailer.send(mail)).rejects.toThrow();
    mailer.close();
  });
});

describe('mail to files', () => {
  it('writes an .eml file and logs its link', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-mail-'));
    const lines: Record<string, unknown>[] = [];
    const mailer = createMailer({ smtpUrl: null, mailDir: dir, log: { info: (o) => lines.push(o as Record<string, unknown>) } });
    await mailer.send(mail);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = fs.readFileSync(path.join(dir, files[0]!), 'utf8');
    expect(eml).toContain('To: ana@example.com');
    expect(eml).toContain('verify-email?token=abc');
    expect(lines[0]).toMatchObject({ link: mail.link, file: path.join(dir, files[0]!) });
  });

  it('escapes text meant for HTML', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
  });
});
