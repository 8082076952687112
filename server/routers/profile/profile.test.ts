import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../../test/app.js';
import { authUserFor, callHttp, createUser, signIn } from '../../../test/users.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const row = (id: string) => t.app.deps.db.user.findUniqueOrThrow({ where: { id } });
const me = (token: string) => callHttp(t, 'auth.me', { method: 'GET', headers: { authorization: `Bearer ${token}` } });

describe('profile.update', () => {
  it('changes name and phone and answers the User; an empty phone clears it', async () => {
    const u = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    expect(await caller.profile.update({ name: '  Ada  ', phone: '+44 20 7946 0958' })).toMatchObject({ id: u.id, name: 'Ada', phone: '+44 20 7946 0958', email: u.email });
    expect((await caller.profile.update({ phone: '' })).phone).toBeNull();
    expect((await caller.profile.update({ phone: null })).phone).toBeNull();
  });

  it('a new email is stored lower-cased and unverified, and audited', async () => {
    const u = await createUser(t);
    await t.app.deps.db.user.update({ where: { id: u.id }, data: { emailVerifiedAt: new Date() } });
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    const user = await caller.profile.update({ email: ' New.Address@Example.COM ' });
    expect(user).toMatchObject({ email: 'new.address@example.com', emailVerified: false });
    const [event] = await t.app.deps.db.authEvent.findMany({ where: { type: 'email_change', userId: u.id } });
    expect(event!.detail).toEqual({ from: u.email, to: 'new.address@example.com' });
    // The same address again is no change: it stays as it is.
    await t.app.deps.db.user.update({ where: { id: u.id }, data: { emailVerifiedAt: new Date() } });
    expect((await caller.profile.update({ email: 'new.address@example.com' })).emailVerified).toBe(true);
  });

  it('an email of another account is CONFLICT and nothing changes', async () => {
    const u = await createUser(t, { name: 'Before' });
    const other = await createUser(t);
    const caller = callerFor(t.app, await authUserFor(t, u.id));
    await expect(caller.profile.update({ name: 'After', email: other.email.toUpperCase() })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await row(u.id)).toMatchObject({ name: 'Before', email: u.email });
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
    const error = await caller.profile.changePassword({ currentPassword: 'not it', newPassword: 'a completely new passphrase' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'Your current password is not correct.' });
    expect((await row(u.id)).passwordHash).toBe(before);
    expect((await row(u.id)).failedLogins).toBe(1);
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
    expect((await callHttp(t, 'profile.changePassword', { input: { currentPassword: 'x', newPassword: 'a completely new passphrase' } })).status).toBe(401);
  });
});
