import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { callHttp, createUser, signIn, type TestUser } from '../../../test/users.js';
import { open } from '../../lib/secret-box.js';
import { totpCode } from '../../lib/totp.js';

let t: TestApp;
let mailDir: string;
beforeAll(async () => {
  mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-lifecycle-mail-'));
  t = await startTestApp({ config: { mailDir } });
});
afterAll(() => t.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The newest mail link sent to an address (mail goes to .eml files, and the link is logged). */
async function linkFor(to: string, kind: 'verify-email' | 'reset-password', after = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const line = t.logs
      .slice(after)
      .filter((l) => l.msg === 'mail written to file' && l.to === to && String(l.link).includes(`/${kind}?`))
      .at(-1);
    if (line) {
      // The file on disk carries the same link.
      expect(fs.readFileSync(String(line.file), 'utf8')).toContain(String(line.link).split('token=')[1]!.slice(0, 20));
      return new URL(String(line.link)).searchParams.get('token')!;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${kind} mail to ${to}`);
}

async function expireTokens(userId: string) {
  await t.db.prisma.oneTimeToken.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
}

describe('email verification', () => {
  let u: TestUser;
  let access: string;
  beforeAll(async () => {
    u = await createUser(t);
    access = (await signIn(t, u.email, u.password)).accessToken;
  });

  it('registration mails the new address a link that confirms it', async () => {
    const mark = t.logs.length;
    const email = `new-${Date.now().toString(36)}@example.com`;
    const res = await callHttp(t, 'auth.register', { input: { email, password: 'a long passphrase', name: 'New' } });
    expect(res.status).toBe(200);
    const token = await linkFor(email, 'verify-email', mark);
    expect((await callHttp(t, 'auth.verifyEmail', { input: { token } })).status).toBe(200);
    const me = await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(res.body.result.data.accessToken) });
    expect(me.body.result.data.emailVerified).toBe(true);
  });

  it('mails a single-use link that verifies the address', async () => {
    const mark = t.logs.length;
    expect((await callHttp(t, 'auth.requestEmailVerification', { headers: bearer(access) })).body.result.data).toEqual({ ok: true });
    const token = await linkFor(u.email, 'verify-email', mark);
    expect((await callHttp(t, 'auth.verifyEmail', { input: { token } })).status).toBe(200);
    const me = await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(access) });
    expect(me.body.result.data.emailVerified).toBe(true);
    const again = await callHttp(t, 'auth.verifyEmail', { input: { token } });
    expect(again.status).toBe(400);
    expect(again.body.error.data.fieldErrors.token[0]).toMatch(/invalid, expired or already used/);
    expect(await t.db.prisma.authEvent.count({ where: { userId: u.id, type: 'email_verified' } })).toBe(1);
  });

  it('refuses an expired link and a link voided by a newer one', async () => {
    const v = await createUser(t);
    const { accessToken } = await signIn(t, v.email, v.password);
    let mark = t.logs.length;
    await callHttp(t, 'auth.requestEmailVerification', { headers: bearer(accessToken) });
    const first = await linkFor(v.email, 'verify-email', mark);
    mark = t.logs.length;
    await callHttp(t, 'auth.requestEmailVerification', { headers: bearer(accessToken) });
    const second = await linkFor(v.email, 'verify-email', mark);
    expect((await callHttp(t, 'auth.verifyEmail', { input: { token: first } })).status).toBe(400);
    await expireTokens(v.id);
    expect((await callHttp(t, 'auth.verifyEmail', { input: { token: second } })).status).toBe(400);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: v.id }, select: { emailVerifiedAt: true } });
    expect(row.emailVerifiedAt).toBeNull();
  });

  it('a new email is mailed a link; opening it moves the account there, verified, and old links stop counting', async () => {
    const w = await createUser(t);
    const { accessToken } = await signIn(t, w.email, w.password);
    let mark = t.logs.length;
    await callHttp(t, 'auth.requestEmailVerification', { headers: bearer(accessToken) });
    const oldLink = await linkFor(w.email, 'verify-email', mark);
    const newEmail = `moved-${w.id.slice(0, 8)}@example.com`;
    mark = t.logs.length;
    const updated = await callHttp(t, 'profile.update', { input: { email: newEmail, currentPassword: w.password }, headers: bearer(accessToken) });
    expect(updated.body.result.data).toMatchObject({ email: w.email, pendingEmail: newEmail });
    const newLink = await linkFor(newEmail, 'verify-email', mark);
    // The old address is told too.
    await t.app.deps.background.idle();
    expect(t.logs.slice(mark).some((l) => l.msg === 'mail written to file' && l.to === w.email && /about to change/.test(String(l.subject)))).toBe(
      true,
    );
    expect((await callHttp(t, 'auth.verifyEmail', { input: { token: oldLink } })).status).toBe(400);
    expect((await callHttp(t, 'auth.verifyEmail', { input: { token: newLink } })).status).toBe(200);
    const me = (await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(accessToken) })).body.result.data;
    expect(me).toMatchObject({ email: newEmail, emailVerified: true, pendingEmail: null });
    await signIn(t, newEmail, w.password);
    const [audit] = await t.db.prisma.authEvent.findMany({ where: { userId: w.id, type: 'email_change' } });
    expect(audit!.detail).toEqual({ from: w.email, to: newEmail });
  });

  it('an address that belongs to someone else gets no link; its owner is told and nothing changes', async () => {
    const w = await createUser(t);
    const owner = await createUser(t);
    const { accessToken } = await signIn(t, w.email, w.password);
    const mark = t.logs.length;
    const updated = await callHttp(t, 'profile.update', { input: { email: owner.email, currentPassword: w.password }, headers: bearer(accessToken) });
    expect(updated.status).toBe(200);
    expect(updated.body.result.data).toMatchObject({ email: w.email, pendingEmail: owner.email });
    await t.app.deps.background.idle();
    const mails = t.logs.slice(mark).filter((l) => l.msg === 'mail written to file');
    expect(mails.filter((l) => l.to === owner.email).map((l) => l.subject)).toEqual(['Someone tried to use your email on Tessera']);
    expect(mails.some((l) => l.link)).toBe(false);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true } })).toEqual({ email: owner.email });
  });

  it('needs a signed-in caller to ask, and refuses malformed tokens', async () => {
    expect((await callHttp(t, 'auth.requestEmailVerification')).status).toBe(401);
    const bad = await callHttp(t, 'auth.verifyEmail', { input: { token: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.data.fieldErrors.token).toBeDefined();
  });
});

describe('password reset', () => {
  it('answers the same for known and unknown addresses', async () => {
    const u = await createUser(t);
    const known = await callHttp(t, 'auth.requestPasswordReset', { input: { email: u.email } });
    const unknown = await callHttp(t, 'auth.requestPasswordReset', { input: { email: 'nobody-at-all@example.com' } });
    expect(known.status).toBe(200);
    expect(unknown.body).toEqual(known.body);
    await linkFor(u.email, 'reset-password');
    expect(t.logs.some((l) => l.to === 'nobody-at-all@example.com')).toBe(false);
  });

  it('sets the new password once, revokes every session, and is audited', async () => {
    const u = await createUser(t);
    const session = await signIn(t, u.email, u.password);
    const mark = t.logs.length;
    await callHttp(t, 'auth.requestPasswordReset', { input: { email: u.email } });
    const token = await linkFor(u.email, 'reset-password', mark);

    // A refused password leaves the link usable.
    const weak = await callHttp(t, 'auth.resetPassword', { input: { token, password: 'password123' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.data.fieldErrors.password).toBeDefined();

    const fresh = 'a brand new passphrase 7';
    expect((await callHttp(t, 'auth.resetPassword', { input: { token, password: fresh } })).body.result.data).toEqual({ ok: true });
    expect((await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(session.accessToken) })).status).toBe(401);
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken: session.refreshToken } })).status).toBe(401);
    expect((await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } })).status).toBe(401);
    expect((await callHttp(t, 'auth.login', { input: { email: u.email, password: fresh } })).status).toBe(200);
    expect((await callHttp(t, 'auth.resetPassword', { input: { token, password: 'another passphrase 8' } })).status).toBe(400);
    expect(await t.db.prisma.authEvent.count({ where: { userId: u.id, type: 'password_reset' } })).toBe(1);
  });

  it('refuses an expired link and changes nothing', async () => {
    const u = await createUser(t);
    const mark = t.logs.length;
    await callHttp(t, 'auth.requestPasswordReset', { input: { email: u.email } });
    const token = await linkFor(u.email, 'reset-password', mark);
    const before = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { passwordHash: true } });
    await expireTokens(u.id);
    expect((await callHttp(t, 'auth.resetPassword', { input: { token, password: 'a brand new passphrase 7' } })).status).toBe(400);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { passwordHash: true } })).toEqual(before);
  });
});

describe('two-factor sign-in', () => {
  let u: TestUser;
  let access: string;
  let secret: string;
  let recoveryCodes: string[];

  /**
   * Each 30 s time step is accepted once and never an earlier one after it, so within one test run
   * only two codes exist: the current step (used to enable) and the next (one step of drift).
   */
  const nextStepCode = () => totpCode(secret, Date.now() / 1000 + 30);

  beforeAll(async () => {
    u = await createUser(t);
    access = (await signIn(t, u.email, u.password)).accessToken;
  });

  it('sets up with a QR code, keeps the secret encrypted, and turns on only with a right code', async () => {
    const setup = await callHttp(t, 'auth.mfa.setup', { headers: bearer(access) });
    expect(setup.status).toBe(200);
    ({ secret } = setup.body.result.data);
    expect(setup.body.result.data.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(setup.body.result.data.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { mfaSecret: true, mfaEnabledAt: true } });
    expect(row.mfaSecret).not.toContain(secret);
    expect(open(row.mfaSecret!, t.config.mfaEncryptionKey)).toBe(secret);
    expect(row.mfaEnabledAt).toBeNull();

    const wrong = await callHttp(t, 'auth.mfa.enable', { input: { code: '000000' }, headers: bearer(access) });
    expect(wrong.status).toBe(400);
    const enabled = await callHttp(t, 'auth.mfa.enable', { input: { code: await totpCode(secret) }, headers: bearer(access) });
    expect(enabled.status).toBe(200);
    recoveryCodes = enabled.body.result.data.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await t.db.prisma.mfaRecoveryCode.findMany({ where: { userId: u.id }, select: { codeHash: true } });
    expect(stored.map((s) => s.codeHash)).not.toContain(recoveryCodes[0]);
    expect((await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(access) })).body.result.data.mfaEnabled).toBe(true);
  });

  it('login then asks for the second step, which takes a TOTP code once', async () => {
    const login = await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } });
    expect(login.status).toBe(200);
    expect(login.body.result.data).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect(login.cookies).toEqual([]);
    const { mfaToken } = login.body.result.data;

    const wrong = await callHttp(t, 'auth.verifyMfa', { input: { mfaToken, code: '123456' } });
    expect(wrong.status).toBe(401);
    const code = await nextStepCode();
    const ok = await callHttp(t, 'auth.verifyMfa', { input: { mfaToken, code } });
    expect(ok.status).toBe(200);
    expect(ok.body.result.data.user.email).toBe(u.email);
    expect(ok.cookies.length).toBeGreaterThan(0);
    // The ticket is used up, and the same code cannot be replayed on a new ticket.
    expect((await callHttp(t, 'auth.verifyMfa', { input: { mfaToken, code } })).status).toBe(401);
    const second = (await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } })).body.result.data;
    expect((await callHttp(t, 'auth.verifyMfa', { input: { mfaToken: second.mfaToken, code } })).status).toBe(401);
  });

  it('a recovery code works once', async () => {
    const first = (await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } })).body.result.data;
    expect((await callHttp(t, 'auth.verifyMfa', { input: { mfaToken: first.mfaToken, code: recoveryCodes[0]!.toLowerCase() } })).status).toBe(200);
    const second = (await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } })).body.result.data;
    expect((await callHttp(t, 'auth.verifyMfa', { input: { mfaToken: second.mfaToken, code: recoveryCodes[0]! } })).status).toBe(401);
    expect((await callHttp(t, 'auth.verifyMfa', { input: { mfaToken: second.mfaToken, code: recoveryCodes[1]! } })).status).toBe(200);
  });

  it('an expired ticket is refused', async () => {
    const login = (await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } })).body.result.data;
    await t.db.prisma.oneTimeToken.updateMany({
      where: { userId: u.id, purpose: 'MFA_LOGIN', usedAt: null },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const res = await callHttp(t, 'auth.verifyMfa', { input: { mfaToken: login.mfaToken, code: recoveryCodes[5]! } });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it('auth.token takes the code in the same call', async () => {
    const basic = `Basic ${Buffer.from(`${u.email}:${u.password}`).toString('base64')}`;
    const without = await callHttp(t, 'auth.token', { headers: { authorization: basic } });
    expect(without.status).toBe(401);
    expect(without.body.error.data.mfaRequired).toBe(true);
    const withCode = await callHttp(t, 'auth.token', { input: { code: recoveryCodes[3]! }, headers: { authorization: basic } });
    expect(withCode.status).toBe(200);
    expect(withCode.body.result.data.tokenType).toBe('Bearer');
  });

  it('turning it off needs the password and a code', async () => {
    const noPassword = await callHttp(t, 'auth.mfa.disable', {
      input: { password: 'wrong password!', code: recoveryCodes[4]! },
      headers: bearer(access),
    });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error.data.fieldErrors.password).toBeDefined();
    const noCode = await callHttp(t, 'auth.mfa.disable', { input: { password: u.password, code: '000000' }, headers: bearer(access) });
    expect(noCode.status).toBe(400);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { mfaEnabledAt: true } })).mfaEnabledAt).not.toBeNull();
    const off = await callHttp(t, 'auth.mfa.disable', { input: { password: u.password, code: recoveryCodes[2]! }, headers: bearer(access) });
    expect(off.status).toBe(200);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { mfaEnabledAt: true, mfaSecret: true } });
    expect(row).toEqual({ mfaEnabledAt: null, mfaSecret: null });
    expect(await t.db.prisma.mfaRecoveryCode.count({ where: { userId: u.id } })).toBe(0);
    const login = await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } });
    expect(login.body.result.data.accessToken).toEqual(expect.any(String));
    const types = (await t.db.prisma.authEvent.findMany({ where: { userId: u.id }, select: { type: true } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['mfa_enabled', 'mfa_disabled', 'mfa_disable_failed', 'mfa_recovery_code_used']));
  });
});
