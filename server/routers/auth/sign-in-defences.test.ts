import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { mailsSince } from '../../../test/mail.js';
import { callHttp, createUser, signIn, type TestUser } from '../../../test/users.js';
import { totpCode } from '../../lib/totp.js';
import { LIMITS } from '../../services/auth/sign-in-throttle.js';
import { requestPasswordReset } from '../../services/lifecycle/password-reset.js';

/**
 * The sign-in defences, tried over real HTTP as an attacker would. Client addresses come from
 * X-Forwarded-For (TRUST_PROXY), so one test can be many addresses; each test uses its own.
 * Counters live in the database, or in Redis when TEST_REDIS_URL names one (the CI run on the
 * PostgreSQL server), so both stores face the same attacks.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? null;
let t: TestApp;
let roomy: TestApp;
beforeAll(async () => {
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-defences-mail-'));
  const run = crypto.randomBytes(6).toString('hex');
  t = await startTestApp({ config: { authRateLimitPerMinute: 4, trustProxy: true, mailDir, redisUrl }, redisPrefix: `tessera-test:${run}:a:` });
  // The same database with a generous address budget, for the per-account limits.
  roomy = await startTestApp({
    db: t.db,
    config: { authRateLimitPerMinute: 10_000, trustProxy: true, mailDir, redisUrl },
    redisPrefix: `tessera-test:${run}:b:`,
  });
});
afterAll(async () => {
  await roomy?.close();
  await t?.close();
});

let nextAddress = 1;
/** A client address no other test uses. */
const newAddress = () => `10.${Math.floor(nextAddress / 250)}.${nextAddress++ % 250}.1`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const basic = (email: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });
const login = (app: TestApp, ip: string, email: string, password: string) =>
  callHttp(app, 'auth.login', { input: { email, password }, headers: from(ip) });
const auditCount = (type: string, where: Record<string, unknown> = {}) => t.db.prisma.authEvent.count({ where: { type, ...where } });

/** A raw HTTP/1.1 request, so the request target can be written in absolute form. */
function rawRequest(app: TestApp, target: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: target, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('per client address (AUTH_RATE_LIMIT_PER_MINUTE = 4)', () => {
  it('failed sign-ins across accounts: the fifth from one address is 429 with Retry-After; other addresses and procedures are unaffected', async () => {
    const ip = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(t, ip, `stuffing-${i}@example.com`, 'password1')).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const refused = await login(t, ip, 'stuffing-4@example.com', 'password1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.body.error).toMatchObject({
      message: expect.stringMatching(/Too many attempts/),
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 },
    });
    // The right password of a real account from that address waits too; from another address it works.
    const u = await createUser(t);
    expect((await login(t, ip, u.email, u.password)).status).toBe(429);
    expect((await login(t, newAddress(), u.email, u.password)).status).toBe(200);
    expect((await callHttp(t, 'health', { method: 'GET', headers: from(ip) })).status).toBe(200);
  });

  it('successful sign-ins never use up the budget: thirty people behind one office address all get in', async () => {
    const office = newAddress();
    const people = await Promise.all(Array.from({ length: 30 }, () => createUser(t)));
    const statuses: number[] = [];
    for (const p of people) statuses.push((await login(t, office, p.email, p.password)).status);
    expect(statuses).toEqual(Array(30).fill(200));
    // Nor does a typo now and then.
    expect((await login(t, office, people[0]!.email, 'typo')).status).toBe(401);
    expect((await login(t, office, people[1]!.email, people[1]!.password)).status).toBe(200);
  });

  it('absolute-form request targets, encoded procedure names and batches are all counted', async () => {
    const ip = newAddress();
    const body = JSON.stringify({ email: 'absolute@example.com', password: 'password1' });
    const statuses: number[] = [];
    const target = `${t.url}/trpc/auth.login`;
    for (let i = 0; i < 5; i++) statuses.push((await rawRequest(t, target, body, from(ip))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);

    // From an address at its limit, a batch (absolute form, an encoded name) gets nothing but 429s.
    const batchBody = JSON.stringify(
      Object.fromEntries(Array.from({ length: 3 }, (_, i) => [i, { email: `batch-${i}@example.com`, password: 'password1' }])),
    );
    const batch = await rawRequest(t, `${t.url}/trpc/auth.login,auth%2Elogin,auth.token?batch=1`, batchBody, from(ip));
    const answers = JSON.parse(batch.body) as Array<{ error?: { data: { code: string } } }>;
    expect(answers.map((a) => a.error?.data.code)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);

    // A fresh address: one batch of three failures counts three.
    const other = newAddress();
    const first = await rawRequest(t, '/trpc/auth.login,auth.login,auth.login?batch=1', batchBody, from(other));
    expect((JSON.parse(first.body) as Array<{ error: { data: { code: string } } }>).map((a) => a.error.data.code)).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
    ]);
    expect((await login(t, other, 'one-more@example.com', 'password1')).status).toBe(401);
    expect((await login(t, other, 'one-too-many@example.com', 'password1')).status).toBe(429);
  });

  it('registration and password-reset requests count every call, successful or not', async () => {
    const ip = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await callHttp(t, 'auth.register', {
            input: { email: `reg-${crypto.randomUUID()}@example.com`, password: 'a fine passphrase', name: 'R' },
            headers: from(ip),
          })
        ).status,
      );
    }
    statuses.push((await callHttp(t, 'auth.requestPasswordReset', { input: { email: 'someone@example.com' }, headers: from(ip) })).status);
    statuses.push((await callHttp(t, 'auth.requestPasswordReset', { input: { email: 'someone@example.com' }, headers: from(ip) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});

describe('per account and address', () => {
  it('100 parallel wrong passwords: five are compared, the rest refused, and then the right password is refused too', async () => {
    const u = await createUser(roomy);
    const ip = newAddress();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => login(roomy, ip, u.email, `wrong ${i}`)));
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    expect({ 401: count(401), 429: count(429) }).toEqual({ 401: LIMITS.pair.max, 429: 100 - LIMITS.pair.max });
    expect(await auditCount('login_failed', { userId: u.id })).toBe(LIMITS.pair.max);
    const right = await login(roomy, ip, u.email, u.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(LIMITS.pair.windowMs / 1000 - 60);
    await roomy.app.deps.background.idle();
    // The lock is audited once, not once per refused attempt.
    expect(await auditCount('login_throttled', { userId: u.id })).toBe(1);
  });

  it("a stranger's failures do not hold back the owner signing in from elsewhere", async () => {
    const u = await createUser(roomy);
    const attacker = newAddress();
    for (let i = 0; i < 8; i++) await login(roomy, attacker, u.email, `guess ${i}`);
    expect((await login(roomy, attacker, u.email, u.password)).status).toBe(429);
    expect((await login(roomy, newAddress(), u.email, u.password)).status).toBe(200);
    expect((await callHttp(roomy, 'auth.token', { headers: { ...basic(u.email, u.password), ...from(newAddress()) } })).status).toBe(200);
  });

  it('an unknown email gets the same answers, words and headers at the same counts as a known one', async () => {
    const u = await createUser(roomy);
    const run = async (email: string) => {
      const ip = newAddress();
      const answers = [];
      for (let i = 0; i < 7; i++) {
        const res = await login(roomy, ip, email, `nope ${i}`);
        answers.push([res.status, res.body.error.message.replace(/\d+ seconds/, 'N seconds'), res.headers.has('retry-after')]);
      }
      return answers;
    };
    const known = await run(u.email);
    expect(await run(`nobody-${crypto.randomUUID()}@example.com`)).toEqual(known);
    expect(known.map(([status]) => status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('failures from many addresses pause the account everywhere and mail its owner a link that lifts the pause', async () => {
    const u = await createUser(roomy);
    const mark = roomy.logs.length;
    // Distributed guessing: four failures from each of many addresses (under the pair limit).
    const perAddress = 4;
    for (let a = 0; a < LIMITS.account.max / perAddress; a++) {
      const ip = newAddress();
      await Promise.all(Array.from({ length: perAddress }, (_, i) => login(roomy, ip, u.email, `spray ${a}-${i}`)));
    }
    const paused = await login(roomy, newAddress(), u.email, u.password);
    expect(paused.status).toBe(429);
    expect(paused.body.error.message).toMatch(/Too many attempts/);

    const mails = (await mailsSince(roomy, mark)).filter((m) => m.to === u.email);
    expect(mails.map((m) => m.subject)).toEqual(['Sign-in to your Tessera account is paused']);
    const token = new URL(mails[0]!.link!).searchParams.get('token')!;
    expect((await callHttp(roomy, 'auth.unlockAccount', { input: { token } })).status).toBe(200);
    expect((await login(roomy, newAddress(), u.email, u.password)).status).toBe(200);
    // The link works once.
    expect((await callHttp(roomy, 'auth.unlockAccount', { input: { token } })).status).toBe(400);
  });

  it('the same pause on an unknown email says the same thing, and mails nobody', async () => {
    const email = `ghost-${crypto.randomUUID()}@example.com`;
    const mark = roomy.logs.length;
    for (let a = 0; a < LIMITS.account.max / 5; a++) {
      const ip = newAddress();
      await Promise.all(Array.from({ length: 5 }, (_, i) => login(roomy, ip, email, `spray ${a}-${i}`)));
    }
    const paused = await login(roomy, newAddress(), email, 'anything at all');
    expect(paused.status).toBe(429);
    expect(await mailsSince(roomy, mark)).toEqual([]);
  });
});

describe('second factor', () => {
  let u: TestUser;
  let recoveryCodes: string[];
  beforeAll(async () => {
    u = await createUser(roomy);
    const { accessToken } = await signIn(roomy, u.email, u.password);
    const auth = { authorization: `Bearer ${accessToken}`, ...from(newAddress()) };
    const { secret } = (await callHttp(roomy, 'auth.mfa.setup', { headers: auth })).body.result.data;
    recoveryCodes = (await callHttp(roomy, 'auth.mfa.enable', { input: { code: await totpCode(secret) }, headers: auth })).body.result.data
      .recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
  });

  const challenge = async (ip: string) => (await login(roomy, ip, u.email, u.password)).body.result.data.mfaToken as string;

  it('a sign-in challenge dies after five wrong codes, even when they are guessed in parallel', async () => {
    const ip = newAddress();
    const mfaToken = await challenge(ip);
    const mark = await auditCount('login_failed', { userId: u.id });
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => callHttp(roomy, 'auth.verifyMfa', { input: { mfaToken, code: String(100000 + i) }, headers: from(ip) })),
    );
    expect(guesses.every((g) => g.status === 401)).toBe(true);
    // Only five codes were ever checked.
    expect((await auditCount('login_failed', { userId: u.id })) - mark).toBe(LIMITS.challenge);
    const right = await callHttp(roomy, 'auth.verifyMfa', { input: { mfaToken, code: recoveryCodes[0]! }, headers: from(ip) });
    expect(right.status).toBe(401);
    expect(right.body.error.message).toMatch(/expired/);
    // A new challenge with a right code still works (five wrong codes are under the account's lock).
    const next = await challenge(ip);
    expect((await callHttp(roomy, 'auth.verifyMfa', { input: { mfaToken: next, code: recoveryCodes[0]! }, headers: from(ip) })).status).toBe(200);
  });

  it('ten wrong codes in fifteen minutes lock the second step everywhere; a right password does not clear it; the owner is mailed', async () => {
    // The test above spent five wrong codes of this account's ten.
    const mark = roomy.logs.length;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await callHttp(roomy, 'auth.token', {
        input: { email: u.email, password: u.password, code: String(200000 + i) },
        headers: from(newAddress()),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // The right password and a right code, from anywhere, wait for the window.
    const locked = await callHttp(roomy, 'auth.token', {
      input: { email: u.email, password: u.password, code: recoveryCodes[1]! },
      headers: from(newAddress()),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    const mfaToken = await challenge(newAddress());
    expect((await callHttp(roomy, 'auth.verifyMfa', { input: { mfaToken, code: recoveryCodes[1]! }, headers: from(newAddress()) })).status).toBe(429);
    const mails = (await mailsSince(roomy, mark)).filter((m) => m.to === u.email);
    expect(mails.map((m) => m.subject)).toEqual(['Two-factor sign-in locked on your Tessera account']);
    expect(mails[0]!.raw).toMatch(/change it now/);
    // The recovery code was never spent on a refused attempt.
    expect(await roomy.db.prisma.mfaRecoveryCode.count({ where: { userId: u.id, usedAt: null } })).toBe(9);
  });
});

describe('batches', () => {
  it('more than ten calls in one batch are refused with 400 before any of them runs', async () => {
    const input = encodeURIComponent(JSON.stringify({}));
    const ten = await fetch(`${t.url}/trpc/${Array(10).fill('health').join(',')}?batch=1&input=${input}`);
    expect(ten.status).toBe(200);
    const eleven = await fetch(`${t.url}/trpc/${Array(11).fill('health').join(',')}?batch=1&input=${input}`);
    expect(eleven.status).toBe(400);
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [i, { email: `b${i}@example.com`, password: 'x' }])));
    const ip = newAddress();
    const logins = await rawRequest(t, `/trpc/${Array(50).fill('auth.login').join(',')}?batch=1`, body, from(ip));
    expect(logins.status).toBe(400);
    expect(await auditCount('login_failed', { email: 'b0@example.com' })).toBe(0);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('a NUL or a lone surrogate in any text input is BAD_REQUEST naming the field, and changes nothing', async () => {
    const u = await createUser(roomy);
    const { accessToken } = await signIn(roomy, u.email, u.password);
    const bearer = { authorization: `Bearer ${accessToken}` };
    const cases: Array<[string, unknown, Record<string, string>, string]> = [
      ['auth.login', { email: 'a\u0000@example.com', password: 'x' }, {}, 'email'],
      ['auth.login', { email: 'a@example.com', password: 'pass\uD800word' }, {}, 'password'],
      ['auth.register', { email: 'n@example.com', password: 'a fine passphrase', name: 'Nul\u0000' }, {}, 'name'],
      ['profile.update', { name: 'Bad\uDC00name' }, bearer, 'name'],
      ['events.create', { name: 'Gig\u0000', venue: 'Hall', startsAt: '2030-01-01T19:00:00Z' }, bearer, 'name'],
    ];
    for (const [procedure, input, headers, field] of cases) {
      const res = await callHttp(roomy, procedure, { input, headers: { ...headers, ...from(newAddress()) } });
      expect(res.status, procedure).toBe(400);
      expect(res.body.error.data.fieldErrors[field], procedure).toEqual([expect.stringMatching(/control or broken characters/)]);
    }
    expect(await roomy.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { name: true } })).toEqual({ name: 'Test User' });
  });

  it('one caller sending such text cannot fail anyone else: 100 good sign-ins beside bad ones all succeed', async () => {
    const people = await Promise.all(Array.from({ length: 10 }, () => createUser(roomy)));
    const bad = Array.from({ length: 30 }, () => login(roomy, newAddress(), 'x\u0000@example.com', 'pass\uD800'));
    const good = Array.from({ length: 100 }, (_, i) => {
      const p = people[i % people.length]!;
      return callHttp(roomy, 'auth.token', { headers: { ...basic(p.email, p.password), ...from(newAddress()) } });
    });
    const [badAnswers, goodAnswers] = await Promise.all([Promise.all(bad), Promise.all(good)]);
    expect(badAnswers.every((a) => a.status === 400)).toBe(true);
    expect(goodAnswers.filter((a) => a.status !== 200)).toEqual([]);
  });
});

describe('password reset requests', () => {
  it('answer before anything is looked up, so known and unknown addresses cannot be told apart by time', async () => {
    const u = await createUser(t);
    const mark = t.logs.length;
    for (const email of [u.email, `nobody-${crypto.randomUUID()}@example.com`]) {
      const touched: string[] = [];
      // A database that records every use: the answer must come before any.
      const db = new Proxy(t.app.deps.db, {
        get(target, prop, receiver) {
          touched.push(String(prop));
          return Reflect.get(target, prop, receiver);
        },
      });
      const answer = await requestPasswordReset({ ...t.app.deps, db }, email, { ip: newAddress(), userAgent: 'test' });
      expect(answer).toEqual({ ok: true });
      expect(touched).toEqual([]);
      await t.app.deps.background.idle();
      // Afterwards the lookup did happen.
      expect(touched).toContain('user');
    }
    expect((await mailsSince(t, mark)).map((m) => m.to)).toEqual([u.email]);
  });
});
