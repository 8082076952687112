import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../../test/app.js';
import { authUserFor, callHttp, createUser, signIn } from '../../../test/users.js';
import { counterKeys } from '../../services/auth/sign-in-throttle.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type TestUserLike = { email: string };
const row = (id: string) => t.app.deps.db.user.findUniqueOrThrow({ where: { id } });
const me = (token: string) => callHttp(t, 'auth.me', { method: 'GET', headers: { authorization: `Bearer ${token}` } });

describe('profile.update', () => {
  it('changes name and phone and answers the User; an empty phone clears it', async () => {
    const u = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    expect(await caller.profile.update({ name: '  Ada  ', phone: '+44 20 7946 0958' })).toMatchObject({
      id: u.id,
      name: 'Ada',
      phone: '+44 20 7946 0958',
      email: u.email,
    });
    expect((await caller.profile.update({ phone: '' })).phone).toBeNull();
    expect((await caller.profile.update({ phone: null })).phone).toBeNull();
  });

  it('a new email needs the current password and waits, pending, for the link mailed to it', async () => {
    const u = await createUser(t);
    await t.app.deps.db.user.update({ where: { id: u.id }, data: { emailVerifiedAt: new Date() } });
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    await expect(caller.profile.update({ email: 'new.address@example.com' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { data: { fieldErrors: { currentPassword: [expect.stringMatching(/current password/)] } } },
    });
    await expect(caller.profile.update({ email: 'new.address@example.com', currentPassword: 'not it' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await row(u.id)).toMatchObject({ email: u.email, pendingEmail: null });

    const user = await caller.profile.update({ email: ' New.Address@Example.COM ', currentPassword: u.password });
    // The account keeps its verified address until the new one is confirmed.
    expect(user).toMatchObject({ email: u.email, emailVerified: true, pendingEmail: 'new.address@example.com' });
    const [event] = await t.app.deps.db.authEvent.findMany({ where: { type: 'email_change_requested', userId: u.id } });
    expect(event).toMatchObject({ email: u.email });
    // The same address as now is no change and needs no password.
    expect((await caller.profile.update({ email: u.email })).emailVerified).toBe(true);
  });

  it('an address of another account answers exactly as a free one, and changes nothing', async () => {
    const u = await createUser(t, { name: 'Before' });
    const v = await createUser(t, { name: 'Before' });
    const other = await createUser(t);
    const taken = await callerFor(t.app, await authUserFor(t, u.id)).profile.update({
      name: 'After',
      email: other.email.toUpperCase(),
      currentPassword: u.password,
    });
    const free = await callerFor(t.app, await authUserFor(t, v.id)).profile.update({
      name: 'After',
      email: `free-${other.email}`,
      currentPassword: v.password,
    });
    const shape = (x: typeof taken, own: TestUserLike) => ({
      ...x,
      id: 'ID',
      email: x.email === own.email ? 'OWN' : x.email,
      createdAt: 'T',
      pendingEmail: x.pendingEmail ? 'PENDING' : null,
    });
    expect(shape(taken, u)).toEqual(shape(free, v));
    expect(await row(u.id)).toMatchObject({ name: 'After', email: u.email });
    expect(await row(other.id)).toMatchObject({ email: other.email });
  });

  it('at most three email changes an hour per account, whatever the addresses', async () => {
    const u = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    for (let i = 0; i < 3; i++) await caller.profile.update({ email: `try-${i}-${u.email}`, currentPassword: u.password });
    await expect(caller.profile.update({ email: `try-3-${u.email}`, currentPassword: u.password })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    expect((await row(u.id)).pendingEmail).toBe(`try-2-${u.email}`);
  });

  it.each([
    [{ phone: 'call me maybe' }, 'phone'],
    [{ name: '' }, 'name'],
    [{ name: 'n'.repeat(101) }, 'name'],
    [{ email: 'not an email' }, 'email'],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
  ])('invalid input is BAD_REQUEST with fieldErrors and changes nothing: %o', async (input, field) => {
    const u = await createUser(t, { name: 'Unchanged' });
    const s = await signIn(t, u.email, u.password);
    const res = await callHttp(t, 'profile.update', { input, headers: { authorization: `Bearer ${s.accessToken}` } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.data.fieldErrors)).toEqual([field]);
    expect(await row(u.id)).toMatchObject({ name: 'Unchanged', email: u.email, phone: null });
  });

  it('a customer cannot raise its own role through its profile', async () => {
    const u = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    // @ts-expect-error: role is not a profile field
    await expect(caller.profile.update({ role: 'ADMIN' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await row(u.id)).role).toBe('CUSTOMER');
  });

  it('needs a signed-in caller', async () => {
    await expect(callerFor(t.app).profile.update({ name: 'X' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('profile.changePassword', () => {
  it('changes the password, ends every other session at once and keeps this one', async () => {
    const u = await createUser(t);
    const current = await signIn(t, u.email, u.password);
    const other = await signIn(t, u.email, u.password);
    const res = await callHttp(t, 'profile.changePassword', {
      input: { currentPassword: u.password, newPassword: 'a completely new passphrase' },
      headers: { authorization: `Bearer ${current.accessToken}` },
    });
    expect(res.body.result.data).toEqual({ ok: true });
    expect((await me(other.accessToken)).status).toBe(401);
    expect((await me(current.accessToken)).status).toBe(200);
    expect((await callHttp(t, 'auth.login', { input: { email: u.email, password: u.password } })).status).toBe(401);
    await signIn(t, u.email, 'a completely new passphrase');
    const [event] = await t.app.deps.db.authEvent.findMany({ where: { type: 'password_change', userId: u.id } });
    expect(event).toMatchObject({ email: u.email, detail: { revokedSessions: 1 } });
  });

  it('a wrong current password names that field, changes nothing and counts as a failed attempt', async () => {
    const u = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    const before = (await row(u.id)).passwordHash;
    const error = await caller.profile
      .changePassword({ currentPassword: 'not it', newPassword: 'a completely new passphrase' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'Your current password is not correct.' });
    expect((await row(u.id)).passwordHash).toBe(before);
    const pair = await t.app.deps.db.authCounter.findUnique({ where: { key: counterKeys.pair(u.email, '127.0.0.1') } });
    expect(pair?.count).toBe(1);
  });

  it.each([
    ['short', /at least 8/],
    ['iloveyou', /too common/],
    ['SAME', /different/],
  ])('a new password the policy refuses names newPassword: %s', async (newPassword, message) => {
    const u = await createUser(t);
    const s = await signIn(t, u.email, u.password);
    const res = await callHttp(t, 'profile.changePassword', {
      input: { currentPassword: u.password, newPassword: newPassword === 'SAME' ? u.password : newPassword },
      headers: { authorization: `Bearer ${s.accessToken}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.data.fieldErrors.newPassword).toEqual([expect.stringMatching(message)]);
  });

  it('the email as the new password is refused', async () => {
    const u = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    await expect(caller.profile.changePassword({ currentPassword: u.password, newPassword: u.email })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('needs a signed-in caller', async () => {
    expect(
      (await callHttp(t, 'profile.changePassword', { input: { currentPassword: 'x', newPassword: 'a completely new passphrase' } })).status,
    ).toBe(401);
  });
});
