import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../../test/app.js';
import { authUserFor, callHttp, createUser, signIn } from '../../../test/users.js';
import { AUDIENCE, ISSUER } from '../../lib/jwt.js';
import { REUSE_WINDOW_MS } from '../../services/auth/refresh-session.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (email: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });
const me = (headers: Record<string, string>) => callHttp(t, 'auth.me', { method: 'GET', headers });
const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');
const events = (type: string, userId?: string) =>
  t.app.deps.db.authEvent.findMany({ where: { type, ...(userId ? { userId } : {}) }, orderBy: { createdAt: 'asc' } });

describe('auth.register', () => {
  it('creates the account and signs in: a Session in the body and HttpOnly, SameSite=Lax cookies', async () => {
    const res = await callHttp(t, 'auth.register', { input: { email: '  Reg.One@Example.COM ', password: 'a fine passphrase', name: ' Reg One ' } });
    expect(res.status).toBe(200);
    const session = res.body.result.data;
    expect(session.user).toEqual({
      id: expect.any(String),
      email: 'reg.one@example.com',
      name: 'Reg One',
      phone: null,
      avatarUrl: null,
      role: 'CUSTOMER',
      staffStatus: 'NONE',
      emailVerified: false,
      pendingEmail: null,
      mfaEnabled: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(new Date(session.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const access = res.cookies.find((c) => c.startsWith('tessera_at='))!;
    const refresh = res.cookies.find((c) => c.startsWith('tessera_rt='))!;
    expect(access).toMatch(/; Path=\/(;|$)/);
    expect(access).toContain('HttpOnly');
    expect(access).toContain('SameSite=Lax');
    expect(access).not.toContain('Secure');
    expect(refresh).toMatch(/; Path=\/trpc(;|$)/);
    expect(refresh).toContain('HttpOnly');
    expect(access).toContain(session.accessToken);
    expect((await me({ cookie: cookieHeader(res.cookies) })).body.result.data.id).toBe(session.user.id);
    expect(await events('register', session.user.id)).toHaveLength(1);
  });

  it('requestStaff makes a staff account awaiting approval', async () => {
    const res = await callHttp(t, 'auth.register', {
      input: { email: 'wants-staff@example.com', password: 'a fine passphrase', name: 'S', requestStaff: true },
    });
    expect(res.body.result.data.user).toMatchObject({ role: 'STAFF', staffStatus: 'PENDING' });
  });

  it('a taken email, in any case, is CONFLICT and creates nothing', async () => {
    const before = await t.app.deps.db.user.count();
    const res = await callHttp(t, 'auth.register', { input: { email: 'REG.ONE@example.com', password: 'another passphrase', name: 'X' } });
    expect(res.status).toBe(409);
    expect(res.body.error.data.code).toBe('CONFLICT');
    expect(await t.app.deps.db.user.count()).toBe(before);
  });

  it.each([
    [{ email: 'weak@example.com', password: 'short', name: 'W' }, 'password', /at least 8/],
    [{ email: 'weak@example.com', password: 'Password1', name: 'W' }, 'password', /too common/],
    [{ email: 'weak@example.com', password: 'weak@example.com', name: 'W' }, 'password', /email/],
    [{ email: 'weak@example.com', password: 'é'.repeat(40), name: 'W' }, 'password', /72 bytes/],
    [{ email: 'not-an-email', password: 'a fine passphrase', name: 'W' }, 'email', /valid email/],
    [{ email: 'weak@example.com', password: 'a fine passphrase', name: '   ' }, 'name', /name/],
    [{ email: 'weak@example.com', password: 'a fine passphrase', name: 'x'.repeat(101) }, 'name', /100/],
  ])('invalid input is BAD_REQUEST naming the field, and creates nothing: %o', async (input, field, message) => {
    const res = await callHttp(t, 'auth.register', { input });
    expect(res.status).toBe(400);
    expect(res.body.error.data.code).toBe('BAD_REQUEST');
    expect(res.body.error.data.fieldErrors[field]).toEqual([expect.stringMatching(message)]);
    expect(await t.app.deps.db.user.count({ where: { email: 'weak@example.com' } })).toBe(0);
  });

  it('refuses a role in the input instead of ignoring it', async () => {
    const res = await callHttp(t, 'auth.register', {
      input: { email: 'sneaky@example.com', password: 'a fine passphrase', name: 'S', role: 'ADMIN' },
    });
    expect(res.status).toBe(400);
    expect(await t.app.deps.db.user.count({ where: { email: 'sneaky@example.com' } })).toBe(0);
  });

  it('bad JSON or a wrong type is a 400, never a 500', async () => {
    const res = await fetch(`${t.url}/trpc/auth.register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect((await callHttp(t, 'auth.register', { input: { email: 42, password: [], name: null } })).status).toBe(400);
  });
});

describe('auth.login', () => {
  it('answers a Session and cookies, audited with ip and user agent', async () => {
    const u = await createUser(t);
    const res = await callHttp(t, 'auth.login', {
      input: { email: u.email.toUpperCase(), password: u.password },
      headers: { 'user-agent': 'vitest-agent' },
    });
    expect(res.status).toBe(200);
    expect(res.body.result.data).toMatchObject({ user: { id: u.id, email: u.email }, accessToken: expect.any(String) });
    expect(res.cookies.map((c) => c.split('=')[0]).sort()).toEqual(['tessera_at', 'tessera_rt', 'tessera_session']);
    const [login] = await events('login', u.id);
    expect(login).toMatchObject({ email: u.email, ip: '127.0.0.1', userAgent: 'vitest-agent', detail: { via: 'login' } });
  });

  it('a wrong password and an unknown email get the same 401 and message; failures are audited without the password', async () => {
    const u = await createUser(t);
    const wrong = await callHttp(t, 'auth.login', { input: { email: u.email, password: 'not the password' } });
    const unknown = await callHttp(t, 'auth.login', { input: { email: 'nobody-here@example.com', password: 'not the password' } });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Invalid email or password');
      expect(res.cookies).toEqual([]);
    }
    const failed = await t.app.deps.db.authEvent.findMany({ where: { type: 'login_failed', email: { in: [u.email, 'nobody-here@example.com'] } } });
    expect(failed.map((e) => e.email).sort()).toEqual(['nobody-here@example.com', u.email].sort());
    expect(failed.find((e) => e.email === u.email)!.userId).toBe(u.id);
    expect(JSON.stringify(failed)).not.toContain('not the password');
  });

  it('passwords, hashes and tokens never reach the logs', async () => {
    const u = await createUser(t, { password: 'log-canary-passphrase-77' });
    const from = t.logs.length;
    const login = await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } });
    const token = await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) });
    const refreshed = await callHttp(t, 'auth.refresh', { input: { refreshToken: token.body.result.data.refreshToken } });
    await callHttp(t, 'auth.login', { input: { email: u.email, password: 'log-canary-wrong-88' } });
    await me(bearer(login.body.result.data.accessToken));
    const hash = (await t.app.deps.db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash;
    const logged = JSON.stringify(t.logs.slice(from));
    expect(t.logs.length).toBeGreaterThan(from);
    for (const secret of [
      u.password,
      'log-canary-wrong-88',
      hash,
      login.body.result.data.accessToken,
      token.body.result.data.accessToken,
      token.body.result.data.refreshToken,
      refreshed.body.result.data.refreshToken,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });
});

describe('auth.token', () => {
  it('exchanges HTTP Basic credentials for Bearer tokens, without cookies', async () => {
    const u = await createUser(t, { password: 'pass:with:colons' });
    const res = await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) });
    expect(res.status).toBe(200);
    expect(res.body.result.data).toEqual({
      tokenType: 'Bearer',
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(res.cookies).toEqual([]);
    expect((await me(bearer(res.body.result.data.accessToken))).body.result.data.id).toBe(u.id);
  });

  it('takes the credentials from the body too', async () => {
    const u = await createUser(t);
    const res = await callHttp(t, 'auth.token', { input: { email: u.email, password: u.password } });
    expect(res.body.result.data.tokenType).toBe('Bearer');
  });

  it('wrong credentials are 401; a malformed header or none at all are 400', async () => {
    const u = await createUser(t);
    expect((await callHttp(t, 'auth.token', { headers: basic(u.email, 'wrong password') })).status).toBe(401);
    expect((await callHttp(t, 'auth.token', { headers: { authorization: 'Basic !!!' } })).status).toBe(400);
    expect((await callHttp(t, 'auth.token', { headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` } })).status).toBe(400);
    expect((await callHttp(t, 'auth.token')).status).toBe(400);
  });
});

describe('credentials on requests', () => {
  it('Bearer works on every kind of procedure; no credentials is 401', async () => {
    const u = await createUser(t);
    const { accessToken } = await signIn(t, u.email, u.password);
    expect((await callHttp(t, 'auth.sessions', { method: 'GET', headers: bearer(accessToken) })).status).toBe(200);
    expect((await callHttp(t, 'profile.update', { input: { name: 'Via Bearer' }, headers: bearer(accessToken) })).status).toBe(200);
    expect((await callHttp(t, 'auth.sessions', { method: 'GET' })).status).toBe(401);
    const anonymous = await me({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.data.code).toBe('UNAUTHORIZED');
  });

  it('tampered, foreign-secret, alg:none and expired tokens are 401', async () => {
    const u = await createUser(t, { role: 'ADMIN' });
    const { accessToken } = await signIn(t, u.email, u.password);
    const claims = jwt.decode(accessToken) as jwt.JwtPayload;
    const [header, payload, signature] = accessToken.split('.');
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      tampered: `${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'someone-else' })}.${signature}`,
      foreignSecret: jwt.sign({ ...claims }, 'not-our-secret-not-our-secret-not-our-secret', { algorithm: 'HS256' }),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      expired: jwt.sign({ ...claims, iat: now - 3600, exp: now - 60 }, t.config.jwtSecret, { algorithm: 'HS256' }),
      wrongAudience: jwt.sign({ ...claims, aud: 'elsewhere' }, t.config.jwtSecret, { algorithm: 'HS256' }),
    };
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE });
    expect((await me(bearer(accessToken))).status).toBe(200);
    for (const [name, token] of Object.entries(tokens)) {
      expect((await me(bearer(token))).status, name).toBe(401);
      expect((await me({ cookie: `tessera_at=${token}` })).status, name).toBe(401);
      expect((await callHttp(t, 'admin.users.list', { method: 'GET', headers: bearer(token) })).status, name).toBe(401);
    }
  });

  it('an explicit Bearer header wins over the cookie, even when it is bad', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const sa = await signIn(t, a.email, a.password);
    const sb = await signIn(t, b.email, b.password);
    expect((await me({ cookie: sa.cookie, ...bearer(sb.accessToken) })).body.result.data.id).toBe(b.id);
    expect((await me({ cookie: sa.cookie, ...bearer('garbage') })).status).toBe(401);
  });

  it('secure cookies carry the __Host- and __Secure- prefixes and the Secure flag', async () => {
    const secure = await startTestApp({ db: t.db, config: { secureCookies: true } });
    try {
      const u = await createUser(secure);
      const res = await callHttp(secure, 'auth.login', { input: { email: u.email, password: u.password } });
      const access = res.cookies.find((c) => c.startsWith('__Host-tessera_at='))!;
      const refresh = res.cookies.find((c) => c.startsWith('__Secure-tessera_rt='))!;
      expect(access).toMatch(/; Path=\/(;|$)/);
      expect(access).not.toContain('Domain');
      for (const c of [access, refresh]) expect(c).toMatch(/; Secure(;|$)/);
      expect(
        (
          await me({ cookie: cookieHeader(res.cookies) }).then(() =>
            callHttp(secure, 'auth.me', { method: 'GET', headers: { cookie: cookieHeader(res.cookies) } }),
          )
        ).status,
      ).toBe(200);
    } finally {
      await secure.close();
    }
  });
});

/** Moves the user's rotations back past REUSE_WINDOW_MS, as if the old token came back later. */
const pastReuseWindow = (userId: string) =>
  t.app.deps.db.refreshToken.updateMany({
    where: { session: { userId }, rotatedAt: { not: null } },
    data: { rotatedAt: new Date(Date.now() - REUSE_WINDOW_MS - 1000) },
  });

describe('auth.refresh', () => {
  it('twenty refreshes at once with one token (two tabs, retries) all get the same successor, and the session lives on', async () => {
    const u = await createUser(t);
    const first = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    const answers = await Promise.all(Array.from({ length: 20 }, () => callHttp(t, 'auth.refresh', { input: { refreshToken: first.refreshToken } })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const successors = new Set(answers.map((a) => a.body.result.data.refreshToken));
    expect(successors.size).toBe(1);
    const [successor] = [...successors] as string[];
    expect(successor).not.toBe(first.refreshToken);
    for (const a of answers) expect((await me(bearer(a.body.result.data.accessToken))).status).toBe(200);
    expect(await events('refresh_reuse', u.id)).toHaveLength(0);
    // The successor is the live token: it rotates normally.
    const next = await callHttp(t, 'auth.refresh', { input: { refreshToken: successor } });
    expect(next.status).toBe(200);
    // Once the successor was used, the first token is stale even inside the window: reuse.
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken: first.refreshToken } })).status).toBe(401);
    expect(await events('refresh_reuse', u.id)).toHaveLength(1);
  });

  it('the successor is stored sealed: the database alone cannot produce it', async () => {
    const u = await createUser(t);
    const first = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    const next = (await callHttp(t, 'auth.refresh', { input: { refreshToken: first.refreshToken } })).body.result.data;
    const rows = await t.app.deps.db.refreshToken.findMany({ where: { session: { userId: u.id } } });
    expect(JSON.stringify(rows)).not.toContain(next.refreshToken);
    expect(rows.find((r) => r.rotatedAt)!.successor).toMatch(/^v1\./);
  });

  it('rotates a body refresh token: new tokens in the body; the old one presented again revokes the whole session', async () => {
    const u = await createUser(t);
    const first = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    const second = await callHttp(t, 'auth.refresh', { input: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    const next = second.body.result.data;
    expect(next).toMatchObject({ tokenType: 'Bearer', user: { id: u.id }, accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(second.cookies).toEqual([]);
    expect((await me(bearer(next.accessToken))).status).toBe(200);

    // Past the few seconds two tabs may race in, the old token again is reuse.
    await pastReuseWindow(u.id);
    const reuse = await callHttp(t, 'auth.refresh', { input: { refreshToken: first.refreshToken } });
    expect(reuse.status).toBe(401);
    // The thief's copy and the rightful owner's newer tokens are all dead now.
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken: next.refreshToken } })).status).toBe(401);
    expect((await me(bearer(next.accessToken))).status).toBe(401);
    expect((await me(bearer(first.accessToken))).status).toBe(401);
    const [audit] = await events('refresh_reuse', u.id);
    expect(audit).toMatchObject({ userId: u.id, ip: '127.0.0.1' });
    const session = await t.app.deps.db.session.findFirstOrThrow({ where: { userId: u.id } });
    expect(session.revokedWhy).toBe('refresh_reuse');
  });

  it('stores only hashes of refresh tokens', async () => {
    const u = await createUser(t);
    const { refreshToken } = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    const stored = await t.app.deps.db.refreshToken.findMany({ where: { session: { userId: u.id } } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(refreshToken);
    expect(Buffer.from(refreshToken, 'base64url')).toHaveLength(32);
  });

  it('rotates a cookie refresh token in the cookie, never in the body; reuse of the old cookie ends the session', async () => {
    const u = await createUser(t);
    const s = await signIn(t, u.email, u.password);
    const res = await callHttp(t, 'auth.refresh', { headers: { cookie: s.cookie } });
    expect(res.status).toBe(200);
    expect(res.body.result.data.refreshToken).toBeUndefined();
    const rotated = res.cookies.find((c) => c.startsWith('tessera_rt='))!;
    expect(rotated).toMatch(/Path=\/trpc/);
    expect(rotated).not.toContain(encodeURIComponent(s.refreshToken));
    const newCookie = cookieHeader(res.cookies);
    expect((await me({ cookie: newCookie })).status).toBe(200);

    await pastReuseWindow(u.id);
    const reuse = await callHttp(t, 'auth.refresh', { headers: { cookie: s.cookie } });
    expect(reuse.status).toBe(401);
    expect(reuse.cookies.some((c) => c.startsWith('tessera_rt=;'))).toBe(true);
    expect((await me({ cookie: newCookie })).status).toBe(401);
  });

  it('a staff approval shows in the next token too', async () => {
    const u = await createUser(t, { role: 'STAFF' });
    const { refreshToken } = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    await t.app.deps.db.user.update({ where: { id: u.id }, data: { staffStatus: 'APPROVED' } });
    const next = (await callHttp(t, 'auth.refresh', { input: { refreshToken } })).body.result.data;
    expect(jwt.decode(next.accessToken)).toMatchObject({ role: 'STAFF', staffStatus: 'APPROVED' });
  });

  it('refuses no token, an unknown token and an expired session', async () => {
    expect((await callHttp(t, 'auth.refresh')).status).toBe(401);
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken: 'x'.repeat(43) } })).status).toBe(401);
    const u = await createUser(t);
    const { refreshToken } = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    await t.app.deps.db.session.updateMany({ where: { userId: u.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken } })).status).toBe(401);
  });
});

describe('signing out', () => {
  it('auth.logout revokes the session at once, clears the cookies and is audited', async () => {
    const u = await createUser(t);
    const s = await signIn(t, u.email, u.password);
    const res = await callHttp(t, 'auth.logout', { headers: { cookie: s.cookie } });
    expect(res.body.result.data).toEqual({ ok: true });
    const cleared = res.cookies
      .filter((c) => /Expires=Thu, 01 Jan 1970/.test(c))
      .map((c) => c.split('=')[0])
      .sort();
    expect(cleared).toEqual(['tessera_at', 'tessera_rt', 'tessera_session']);
    expect((await me(bearer(s.accessToken))).status).toBe(401);
    expect((await me({ cookie: s.cookie })).status).toBe(401);
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken: s.refreshToken } })).status).toBe(401);
    expect(await events('logout', u.id)).toHaveLength(1);
  });

  it('auth.logout works anonymously, and by refresh token when the access token is gone', async () => {
    expect((await callHttp(t, 'auth.logout')).body.result.data).toEqual({ ok: true });
    const u = await createUser(t);
    const tokens = (await callHttp(t, 'auth.token', { headers: basic(u.email, u.password) })).body.result.data;
    await callHttp(t, 'auth.logout', { input: { refreshToken: tokens.refreshToken } });
    expect((await me(bearer(tokens.accessToken))).status).toBe(401);
  });

  it('auth.logoutAll revokes every session of the caller only', async () => {
    const u = await createUser(t);
    const other = await createUser(t);
    const one = await signIn(t, u.email, u.password);
    const two = await signIn(t, u.email, u.password);
    const theirs = await signIn(t, other.email, other.password);
    const res = await callHttp(t, 'auth.logoutAll', { headers: bearer(one.accessToken) });
    expect(res.body.result.data).toEqual({ revoked: 2 });
    expect((await me(bearer(one.accessToken))).status).toBe(401);
    expect((await me(bearer(two.accessToken))).status).toBe(401);
    expect((await me(bearer(theirs.accessToken))).status).toBe(200);
    expect(await events('logout_all', u.id)).toHaveLength(1);
    expect((await callHttp(t, 'auth.logoutAll')).status).toBe(401);
  });
});

describe('sessions', () => {
  it('auth.sessions lists the live sessions and marks the current one', async () => {
    const u = await createUser(t);
    const phone = await signIn(t, u.email, u.password);
    const laptop = await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password }, headers: { 'user-agent': 'Laptop/1.0' } });
    const revoked = await signIn(t, u.email, u.password);
    await callHttp(t, 'auth.logout', { headers: bearer(revoked.accessToken) });
    const list = (await callHttp(t, 'auth.sessions', { method: 'GET', headers: bearer(laptop.body.result.data.accessToken) })).body.result.data;
    expect(list).toHaveLength(2);
    expect(list.filter((s: { current: boolean }) => s.current)).toEqual([
      {
        id: expect.any(String),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        userAgent: 'Laptop/1.0',
        ip: '127.0.0.1',
        current: true,
      },
    ]);
    expect((jwt.decode(phone.accessToken) as jwt.JwtPayload).sid).toBe(list.find((s: { current: boolean }) => !s.current).id);
  });

  it("auth.revokeSession ends one of the caller's sessions; another user's is NOT_FOUND", async () => {
    const u = await createUser(t);
    const other = await createUser(t);
    const keep = await authUserFor(t, u.id);
    const lose = await signIn(t, u.email, u.password);
    const theirs = await signIn(t, other.email, other.password);
    const caller = callerFor(t.app, keep);
    const sid = (jwt.decode(lose.accessToken) as jwt.JwtPayload).sid as string;
    expect(await caller.auth.revokeSession({ sessionId: sid })).toEqual({ ok: true });
    expect((await me(bearer(lose.accessToken))).status).toBe(401);
    expect(await events('session_revoked', u.id)).toHaveLength(1);

    const theirSid = (jwt.decode(theirs.accessToken) as jwt.JwtPayload).sid as string;
    await expect(caller.auth.revokeSession({ sessionId: theirSid })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await me(bearer(theirs.accessToken))).status).toBe(200);
    await expect(caller.auth.revokeSession({ sessionId: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(callerFor(t.app).auth.revokeSession({ sessionId: sid })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it("auth.me answers the caller's User, and 401 for an account deleted under a token", async () => {
    const u = await createUser(t, { name: 'Me Myself' });
    const user = await authUserFor(t, u.id);
    expect(await callerFor(t.app, user).auth.me()).toMatchObject({ id: u.id, name: 'Me Myself', role: 'CUSTOMER' });
    await t.app.deps.db.user.delete({ where: { id: u.id } });
    await expect(callerFor(t.app, user).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('cross-site requests (CSRF)', () => {
  it('a cookie mutation from a foreign Origin or a cross-site fetch is 403 and changes nothing', async () => {
    const u = await createUser(t);
    const s = await signIn(t, u.email, u.password);
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const res = await callHttp(t, 'auth.logout', { headers: { cookie: s.cookie, ...headers } });
      expect(res.status).toBe(403);
      expect(res.body.error.data.code).toBe('FORBIDDEN');
    }
    expect((await me({ cookie: s.cookie })).status).toBe(200);
    expect((await callHttp(t, 'auth.logout', { headers: { cookie: s.cookie, origin: t.url } })).status).toBe(200);
  });

  it('a Bearer request without cookies is not affected by the Origin', async () => {
    const u = await createUser(t);
    const s = await signIn(t, u.email, u.password);
    const res = await callHttp(t, 'profile.update', {
      input: { name: 'Scripted' },
      headers: { ...bearer(s.accessToken), origin: 'https://elsewhere.example' },
    });
    expect(res.status).toBe(200);
  });
});
