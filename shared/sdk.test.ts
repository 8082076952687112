import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/app.js';
import { callHttp, createUser, type TestUser } from '../test/users.js';
import { createTesseraClient } from './sdk.js';

let t: TestApp;
let u: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  u = await createUser(t, { name: 'Script User' });
});
afterAll(() => t.close());

const me = (token: string) => callHttp(t, 'auth.me', { method: 'GET', headers: { authorization: `Bearer ${token}` } });
const rotations = () => t.app.deps.db.refreshToken.count({ where: { session: { userId: u.id }, rotatedAt: { not: null } } });

describe('the typed SDK against a live server', () => {
  it('signs in through auth.token with Basic on first use and sends the Bearer token', async () => {
    const api = createTesseraClient({ url: `${t.url}/`, email: u.email, password: u.password });
    expect(api.tokens()).toEqual({ accessToken: null, refreshToken: null });
    const [user, sessions] = await Promise.all([api.auth.me.query(), api.auth.sessions.query()]);
    expect(user).toMatchObject({ id: u.id, name: 'Script User' });
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const logins = await t.app.deps.db.authEvent.findMany({ where: { userId: u.id, type: 'login' } });
    expect(logins.filter((e) => (e.detail as { via: string }).via === 'token')).toHaveLength(1);
    expect((await me(api.tokens().accessToken!)).status).toBe(200);
  });

  it('on a 401 refreshes once, for all the calls that failed together, and retries them', async () => {
    const seed = createTesseraClient({ url: t.url, email: u.email, password: u.password });
    await seed.signIn();
    const before = await rotations();
    const api = createTesseraClient({ url: t.url, accessToken: 'expired-or-garbage', refreshToken: seed.tokens().refreshToken! });
    const results = await Promise.all([api.auth.me.query(), api.auth.me.query(), api.profile.update.mutate({ name: 'Script User' })]);
    expect(results.map((r) => r.id)).toEqual([u.id, u.id, u.id]);
    expect(await rotations()).toBe(before + 1);
    expect(api.tokens().refreshToken).not.toBe(seed.tokens().refreshToken);
  });

  it('signs in again when the refresh token no longer works and credentials are known', async () => {
    const api = createTesseraClient({ url: t.url, email: u.email, password: u.password, accessToken: 'bad', refreshToken: 'also-bad' });
    expect((await api.auth.me.query()).id).toBe(u.id);
  });

  it("without a way to renew, a 401 is the caller's, typed", async () => {
    const api = createTesseraClient({ url: t.url });
    const error = await api.auth.me.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
  });

  it('wrong credentials surface as the UNAUTHORIZED of auth.token', async () => {
    const api = createTesseraClient({ url: t.url, email: u.email, password: 'wrong password' });
    await expect(api.auth.me.query()).rejects.toMatchObject({ message: 'Invalid email or password' });
  });

  it('logout() ends the session on the server and forgets the tokens', async () => {
    const api = createTesseraClient({ url: t.url, email: u.email, password: u.password });
    await api.auth.me.query();
    const { accessToken, refreshToken } = api.tokens();
    await api.logout();
    expect(api.tokens()).toEqual({ accessToken: null, refreshToken: null });
    expect((await me(accessToken!)).status).toBe(401);
    expect((await callHttp(t, 'auth.refresh', { input: { refreshToken } })).status).toBe(401);
  });
});
