import crypto from 'node:crypto';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../../test/app.js';
import { authUserFor, callHttp, createUser, signIn, type TestUser } from '../../../test/users.js';
import { trpcHandlerOptions } from '../../app.js';
import { createAuthState } from '../../services/auth/auth-changes.js';
import type { AuthUser } from '../../trpc/context.js';
import { router, staffProcedure } from '../../trpc/init.js';

let t: TestApp;
let admin: TestUser;
let adminCaller: ReturnType<typeof callerFor>;
let adminUser: AuthUser;
beforeAll(async () => {
  // A staff-only probe, to see what rights an account really has over HTTP.
  const probe = router({ staffOnly: staffProcedure.query(({ ctx }) => ({ id: ctx.user.id })) });
  t = await startTestApp({
    extend: async (app, deps, http) => {
      await app.register(fastifyTRPCPlugin, { prefix: '/probe', trpcOptions: trpcHandlerOptions(deps, http, probe) });
    },
  });
  admin = await createUser(t, { role: 'ADMIN' });
  adminUser = await authUserFor(t, admin.id);
  adminCaller = callerFor(t.app, adminUser);
});
afterAll(() => t.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const staffProbe = (token: string) => fetch(`${t.url}/probe/staffOnly`, { headers: bearer(token) }).then((r) => r.status);
const row = (id: string) => t.app.deps.db.user.findUnique({ where: { id } });
const tokenFor = async (u: TestUser) => (await signIn(t, u.email, u.password)).accessToken;

describe('who may call admin procedures', () => {
  const calls = {
    'admin.users.list': { method: 'GET' as const, input: {} },
    'admin.users.update': { input: { userId: crypto.randomUUID(), name: 'X' } },
    'admin.users.delete': { input: { userId: crypto.randomUUID() } },
    'admin.staff.create': { input: { email: 'new-staff@example.com', name: 'N', password: 'a fine passphrase' } },
    'admin.staff.approve': { input: { userId: crypto.randomUUID() } },
    'admin.audit.list': { method: 'GET' as const, input: {} },
  };

  it('anonymous callers get 401; customers and staff, approved or not, get 403', async () => {
    const customer = await tokenFor(await createUser(t));
    const pending = await tokenFor(await createUser(t, { role: 'STAFF' }));
    const staff = await tokenFor(await createUser(t, { role: 'STAFF', staffStatus: 'APPROVED' }));
    for (const [procedure, options] of Object.entries(calls)) {
      expect((await callHttp(t, procedure, options)).status, procedure).toBe(401);
      for (const token of [customer, pending, staff]) {
        const res = await callHttp(t, procedure, { ...options, headers: bearer(token) });
        expect(res.status, procedure).toBe(403);
        expect(res.body.error.data.code).toBe('FORBIDDEN');
      }
    }
    expect(await t.app.deps.db.user.count({ where: { email: 'new-staff@example.com' } })).toBe(0);
  });
});

describe('admin.users.list', () => {
  it('pages through users newest first, with search and a role filter', async () => {
    const tag = crypto.randomBytes(4).toString('hex');
    const made: TestUser[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await createUser(t, { email: `list-${tag}-${i}@example.com`, name: `Lister ${i}`, role: i === 4 ? 'STAFF' : 'CUSTOMER' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof adminCaller.admin.users.list>> = await adminCaller.admin.users.list({
        q: `LIST-${tag}`,
        limit: 2,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((u) => u.email).reverse());
    const staff = await adminCaller.admin.users.list({ q: tag, role: 'STAFF' });
    expect(staff.items.map((u) => u.id)).toEqual([made[4]!.id]);
    // The approval queue: staff still waiting.
    expect((await adminCaller.admin.users.list({ q: tag, staffStatus: 'PENDING' })).items.map((u) => u.id)).toEqual([made[4]!.id]);
    expect((await adminCaller.admin.users.list({ q: tag, staffStatus: 'APPROVED' })).items).toEqual([]);
    expect(staff.items[0]).not.toHaveProperty('passwordHash');
    expect(Object.keys(staff.items[0]!).sort()).toEqual(
      ['avatarUrl', 'createdAt', 'email', 'emailVerified', 'id', 'mfaEnabled', 'name', 'pendingEmail', 'phone', 'role', 'staffStatus'].sort(),
    );
  });

  it('refuses a bad cursor or limit with BAD_REQUEST', async () => {
    await expect(adminCaller.admin.users.list({ cursor: 'garbage', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(adminCaller.admin.users.list({ limit: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(adminCaller.admin.users.list({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('admin.users.update', () => {
  it('edits name, email and phone', async () => {
    const u = await createUser(t);
    const user = await adminCaller.admin.users.update({ userId: u.id, name: 'Renamed', email: 'Renamed.User@Example.com', phone: '+1 555 0100' });
    expect(user).toMatchObject({ id: u.id, name: 'Renamed', email: 'renamed.user@example.com', phone: '+1 555 0100', emailVerified: false });
    const events = await t.app.deps.db.authEvent.findMany({
      where: { userId: u.id, type: { in: ['profile_change', 'email_change'] } },
      select: { type: true, detail: true },
    });
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'profile_change', detail: { fields: ['name', 'phone'], by: admin.id } },
        { type: 'email_change', detail: expect.objectContaining({ to: 'renamed.user@example.com', by: admin.id }) },
      ]),
    );
  });

  it("a new role takes effect at once: the user's sessions end, and the change is audited", async () => {
    const u = await createUser(t);
    const token = await tokenFor(u);
    const user = await adminCaller.admin.users.update({ userId: u.id, role: 'STAFF' });
    expect(user).toMatchObject({ role: 'STAFF', staffStatus: 'PENDING' });
    expect((await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(token) })).status).toBe(401);
    const [event] = await t.app.deps.db.authEvent.findMany({ where: { type: 'role_change', userId: u.id } });
    expect(event!.detail).toMatchObject({ from: 'CUSTOMER', to: 'STAFF', by: admin.id, revokedSessions: 1 });
    expect((await adminCaller.admin.users.update({ userId: u.id, role: 'CUSTOMER' })).staffStatus).toBe('NONE');
  });

  it('nobody changes their own role; an admin may still edit their own name', async () => {
    await expect(adminCaller.admin.users.update({ userId: admin.id, role: 'CUSTOMER' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await row(admin.id))!.role).toBe('ADMIN');
    expect((await adminCaller.admin.users.update({ userId: admin.id, name: 'Chief', role: 'ADMIN' })).name).toBe('Chief');
  });

  it('a customer trying to raise its own role is refused and stays a customer', async () => {
    const u = await createUser(t);
    const token = await tokenFor(u);
    const res = await callHttp(t, 'admin.users.update', { input: { userId: u.id, role: 'ADMIN' }, headers: bearer(token) });
    expect(res.status).toBe(403);
    expect((await callHttp(t, 'profile.update', { input: { role: 'ADMIN' }, headers: bearer(token) })).status).toBe(400);
    expect(
      (await callHttp(t, 'auth.register', { input: { email: 'x-admin@example.com', password: 'a fine passphrase', name: 'X', role: 'ADMIN' } }))
        .status,
    ).toBe(400);
    expect((await row(u.id))!.role).toBe('CUSTOMER');
  });

  it('an unknown user is NOT_FOUND, a taken email CONFLICT, bad input BAD_REQUEST; none changes anything', async () => {
    const u = await createUser(t, { name: 'Stays' });
    const other = await createUser(t);
    await expect(adminCaller.admin.users.update({ userId: crypto.randomUUID(), name: 'X' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(adminCaller.admin.users.update({ userId: u.id, name: 'Moved', email: other.email })).rejects.toMatchObject({ code: 'CONFLICT' });
    // @ts-expect-error: not a role
    await expect(adminCaller.admin.users.update({ userId: u.id, role: 'ROOT' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(adminCaller.admin.users.update({ userId: 'not-a-uuid', name: 'X' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await row(u.id)).toMatchObject({ name: 'Stays', email: u.email, role: 'CUSTOMER' });
  });
});

describe('admin.users.delete', () => {
  it('deletes the account, keeps its orders, releases its holds and ends its sessions', async () => {
    const db = t.app.deps.db;
    const u = await createUser(t);
    const token = await tokenFor(u);
    const event = await db.event.create({ data: { name: 'Gig', venue: 'Hall', startsAt: new Date(Date.now() + 86_400_000), status: 'ON_SALE' } });
    const tier = await db.priceTier.create({ data: { eventId: event.id, name: 'Standard', priceCents: 1000, currency: 'EUR' } });
    const order = await db.order.create({
      data: { userId: u.id, eventId: event.id, subtotalCents: 1000, discountCents: 0, totalCents: 1000, currency: 'EUR', idempotencyKey: 'k1' },
    });
    await db.ticket.createMany({
      data: [
        { eventId: event.id, rowName: 'A', seatNumber: 1, tierId: tier.id, status: 'SOLD', orderId: order.id },
        {
          eventId: event.id,
          rowName: 'A',
          seatNumber: 2,
          tierId: tier.id,
          status: 'RESERVED',
          holdId: crypto.randomUUID(),
          heldById: u.id,
          holdExpiresAt: new Date(Date.now() + 600_000),
        },
      ],
    });

    expect(await adminCaller.admin.users.delete({ userId: u.id })).toEqual({ ok: true });
    expect(await row(u.id)).toBeNull();
    expect(await db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ userId: null, status: 'PAID' });
    const seats = await db.ticket.findMany({ where: { eventId: event.id }, orderBy: { seatNumber: 'asc' } });
    expect(seats.map((s) => [s.status, s.heldById, s.holdId])).toEqual([
      ['SOLD', null, null],
      ['AVAILABLE', null, null],
    ]);
    expect((await callHttp(t, 'auth.me', { method: 'GET', headers: bearer(token) })).status).toBe(401);
    const [audit] = await db.authEvent.findMany({ where: { type: 'user_delete', email: u.email } });
    expect(audit!.detail).toMatchObject({ deletedUserId: u.id, by: admin.id, releasedSeats: 1 });

    // An instance starting now reads the revocations from the database: the deleted account's
    // session rows are gone, but its unexpired tokens are still refused.
    const sessionId = (jwt.decode(token) as { sid: string }).sid;
    const rebuilt = createAuthState({
      database: t.db,
      onError: (error) => {
        throw error;
      },
    });
    await rebuilt.start();
    try {
      expect(rebuilt.isRevoked(sessionId)).toBe(true);
    } finally {
      await rebuilt.stop();
    }
  });

  it('an admin cannot delete themself; an unknown user is NOT_FOUND', async () => {
    await expect(adminCaller.admin.users.delete({ userId: admin.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await row(admin.id)).not.toBeNull();
    await expect(adminCaller.admin.users.delete({ userId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('staff accounts and approval', () => {
  it('admin.staff.create makes a STAFF account, PENDING, with customer rights only until approved', async () => {
    const created = await adminCaller.admin.staff.create({ email: 'Door.Keeper@Example.com', name: 'Door Keeper', password: 'a fine passphrase' });
    expect(created).toMatchObject({ email: 'door.keeper@example.com', role: 'STAFF', staffStatus: 'PENDING' });
    const tokens = (await callHttp(t, 'auth.token', { input: { email: 'door.keeper@example.com', password: 'a fine passphrase' } })).body.result.data;
    expect(await staffProbe(tokens.accessToken)).toBe(403);

    expect(await adminCaller.admin.staff.approve({ userId: created.id })).toMatchObject({ id: created.id, role: 'STAFF', staffStatus: 'APPROVED' });
    // Rights arrive at the next request, with the token the staff member already has.
    expect(await staffProbe(tokens.accessToken)).toBe(200);
    const next = (await callHttp(t, 'auth.refresh', { input: { refreshToken: tokens.refreshToken } })).body.result.data;
    expect(await staffProbe(next.accessToken)).toBe(200);
    expect(await adminCaller.admin.staff.approve({ userId: created.id })).toMatchObject({ staffStatus: 'APPROVED' });

    const types = (await t.app.deps.db.authEvent.findMany({ where: { userId: created.id }, orderBy: { createdAt: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['staff_create', 'staff_approve']));
    expect(types.filter((x) => x === 'staff_approve')).toHaveLength(1);
  });

  it('a staff request made at registration goes through the same approval', async () => {
    const reg = await callHttp(t, 'auth.register', {
      input: { email: 'req-staff@example.com', password: 'a fine passphrase', name: 'R', requestStaff: true },
    });
    const { user, accessToken } = reg.body.result.data;
    expect(await staffProbe(accessToken)).toBe(403);
    await adminCaller.admin.staff.approve({ userId: user.id });
    const again = await signIn(t, 'req-staff@example.com', 'a fine passphrase');
    expect(await staffProbe(again.accessToken)).toBe(200);
  });

  it('refuses a weak password, a taken email, approving a non-staff account or an unknown one', async () => {
    const existing = await createUser(t);
    await expect(adminCaller.admin.staff.create({ email: 'weak-staff@example.com', name: 'W', password: 'password1' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(adminCaller.admin.staff.create({ email: existing.email, name: 'W', password: 'a fine passphrase' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await t.app.deps.db.user.count({ where: { email: 'weak-staff@example.com' } })).toBe(0);
    await expect(adminCaller.admin.staff.approve({ userId: existing.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await row(existing.id))!.staffStatus).toBe('NONE');
    await expect(adminCaller.admin.staff.approve({ userId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('admin.audit.list', () => {
  it('pages through the log newest first, by user and by type, with ip and user agent', async () => {
    const u = await createUser(t);
    await callHttp(t, 'auth.login', { input: { email: u.email, password: 'wrong password' }, headers: { 'user-agent': 'Audit/1' } });
    const s = await signIn(t, u.email, u.password);
    await callHttp(t, 'auth.logout', { headers: bearer(s.accessToken) });

    const all: Awaited<ReturnType<typeof adminCaller.admin.audit.list>>['items'] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof adminCaller.admin.audit.list>> = await adminCaller.admin.audit.list({ userId: u.id, limit: 2, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.map((e) => e.type)).toEqual(['logout', 'login', 'login_failed', 'register']);
    const times = all.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    // API.md's fields, and (added since) what the line names and its sentence.
    expect(all[2]).toMatchObject({
      id: expect.any(String),
      type: 'login_failed',
      userId: u.id,
      email: u.email,
      ip: '127.0.0.1',
      userAgent: 'Audit/1',
      createdAt: expect.any(String),
      detail: { reason: 'wrong_password' },
      actorId: null,
      eventId: null,
      orderId: null,
    });
    expect(all[2]!.sentence).toEqual(['A sign-in as ', u.email, ' failed', ' (wrong password)']);
    expect(all[0]).toMatchObject({ type: 'logout', email: u.email, sentence: [{ kind: 'user', id: u.id, text: 'Test User' }, ' signed out'] });

    const failures = await adminCaller.admin.audit.list({ type: 'login_failed', limit: 100 });
    expect(failures.items.every((e) => e.type === 'login_failed')).toBe(true);
    expect(failures.items.some((e) => e.userId === u.id)).toBe(true);
  });

  it('refuses bad filters with BAD_REQUEST', async () => {
    await expect(adminCaller.admin.audit.list({ userId: 'nope', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(adminCaller.admin.audit.list({ type: 'DROP TABLE', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('an anonymous or customer caller gets no audit log', async () => {
    await expect(callerFor(t.app).admin.audit.list({ limit: 10 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const customer = await authUserFor(t, (await createUser(t)).id);
    await expect(callerFor(t.app, customer).admin.audit.list({ limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(adminUser.role).toBe('ADMIN');
  });
});
