import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASS_USE_MINUTES, type QueueStatus } from '../../../shared/queue.js';
import { callerFor } from '../../../test/app.js';
import { createEventWithSeats, failure as failed, seats } from '../../../test/inventory-fixtures.js';
import { setupTestApp } from '../../../test/setup-app.js';
import { openSse, type SseStream } from '../../../test/sse.js';
import { callHttp, createUser, signIn } from '../../../test/users.js';
import { admitNext, joinQueue, queueStatus } from '../../services/queue/waiting-room.js';

const {
  t,
  users: [alice, bob, clerk, admin],
} = setupTestApp(['CUSTOMER', 'CUSTOMER', 'STAFF', 'ADMIN']);

const DAY = 24 * 60 * 60 * 1000;
/** Rooms of the clock tests start days ahead, so the app's own admission step (real time) never reaches them. */
let dayAhead = 2;
const futureStart = () => new Date(Date.now() + dayAhead++ * DAY);
const at = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);

/** `count` customers made straight in the database (no sign-in needed for service-level calls). */
async function crowd(count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    email: `queue-${crypto.randomBytes(5).toString('hex')}-${i}@example.com`,
    name: `Shopper ${i}`,
    passwordHash: 'x',
  }));
  await t.db.prisma.user.createMany({ data: rows });
  return rows.map((r) => r.id);
}

async function roomEvent(startsAt: Date, ratePerMinute: number) {
  const { eventId } = await createEventWithSeats(t.db, { name: `On Sale ${crypto.randomUUID().slice(0, 6)}`, rows: [['A', 10]] });
  await callerFor(t.app, clerk).queue.configure({ eventId, startsAt: startsAt.toISOString(), ratePerMinute });
  return eventId;
}

const admittedOrder = async (eventId: string) =>
  (await t.db.prisma.queueEntry.findMany({ where: { eventId, admittedAt: { not: null } }, orderBy: [{ admittedAt: 'asc' }, { place: 'asc' }] })).map(
    (e) => e.userId,
  );

const deps = () => t.app.deps;
/** Admitted so far in the event's room (admitNext answers for every room, and earlier tests' rooms are still there). */
const admittedIn = async (eventId: string) => (await t.db.prisma.waitingRoom.findUniqueOrThrow({ where: { eventId } })).admitted;

/** The refusal, with the domain reason beside the tRPC code. */
async function failure(promise: Promise<unknown>) {
  let reason: unknown;
  const result = await failed(
    promise.catch((error: unknown) => {
      reason = (error as { cause?: { reason?: string } }).cause?.reason;
      throw error;
    }),
  );
  return { ...result, data: { ...result.data, reason } };
}
const join = (eventId: string, userId: string, now: Date) => joinQueue(deps(), { eventId, userId, staff: false }, now);

describe('waiting room: switching it on', () => {
  it('staff switch it on; shoppers and the anonymous may not; bad input changes nothing', async () => {
    const { eventId } = await createEventWithSeats(t.db, { rows: [['A', 4]] });
    const start = futureStart().toISOString();
    expect((await failure(callerFor(t.app, alice).queue.configure({ eventId, startsAt: start, ratePerMinute: 10 }))).code).toBe('FORBIDDEN');
    expect((await failure(callerFor(t.app).queue.configure({ eventId, startsAt: start, ratePerMinute: 10 }))).code).toBe('UNAUTHORIZED');
    for (const input of [
      { eventId, startsAt: start, ratePerMinute: 0 },
      { eventId, startsAt: start, ratePerMinute: 1.5 },
      { eventId, startsAt: start, ratePerMinute: 100_001 },
      { eventId, startsAt: 'tomorrow', ratePerMinute: 10 },
      { eventId: 'nope', startsAt: start, ratePerMinute: 10 },
      { eventId, startsAt: start, ratePerMinute: 10, extra: true },
    ]) {
      expect((await failure(callerFor(t.app, clerk).queue.configure(input as never))).code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    expect((await failure(callerFor(t.app, clerk).queue.configure({ eventId: crypto.randomUUID(), startsAt: start, ratePerMinute: 10 }))).code).toBe(
      'NOT_FOUND',
    );
    expect(await t.db.prisma.waitingRoom.count({ where: { eventId } })).toBe(0);
    expect(await callerFor(t.app).queue.settings({ eventId })).toBeNull();

    const settings = await callerFor(t.app, clerk).queue.configure({ eventId, startsAt: start, ratePerMinute: 300 });
    expect(settings).toEqual({ eventId, startsAt: start, ratePerMinute: 300, doorsOpen: false });
    expect(await callerFor(t.app).queue.settings({ eventId })).toEqual(settings);
    const audit = await t.db.prisma.authEvent.findFirstOrThrow({ where: { eventId, type: 'queue.configured' } });
    expect(audit.userId).toBe(clerk.id);
    expect((await failure(callerFor(t.app, alice).queue.stats({ eventId }))).code).toBe('FORBIDDEN');
    expect(await callerFor(t.app, admin).queue.stats({ eventId })).toMatchObject({ waiting: 0, admitted: 0, sold: 0, ratePerMinute: 300 });
  });
});

describe('waiting room: the pass', () => {
  it('without a pass nobody but staff sees the seat map, holds or buys; every refusal leaves the seats as they were', async () => {
    const eventId = await roomEvent(futureStart(), 60);
    const anonymous = await failure(callerFor(t.app).inventory.seatMapCompact({ eventId }));
    expect([anonymous.code, anonymous.data.reason]).toEqual(['UNAUTHORIZED', 'SIGN_IN_REQUIRED']);
    for (const call of [
      () => callerFor(t.app, alice).inventory.seatMap({ eventId }),
      () => callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1') }),
      () => callerFor(t.app, alice).tickets.reserveBest({ eventId, quantity: 2 }),
      () => callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1'), idempotencyKey: crypto.randomUUID() }),
      () => callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1'), pass: 'not-a-pass' }),
    ]) {
      const refused = await failure(call());
      expect([refused.code, refused.data.reason]).toEqual(['FORBIDDEN', 'QUEUE_PASS_REQUIRED']);
    }
    expect(await t.db.prisma.ticket.count({ where: { eventId, status: { not: 'AVAILABLE' } } })).toBe(0);
    // Staff work the event as before.
    expect((await callerFor(t.app, clerk).inventory.seatMapCompact({ eventId })).eventId).toBe(eventId);
    await callerFor(t.app, clerk).tickets.reserve({ eventId, seats: seats('A10') });
  });

  it('a pass admits its own account to its own event, holds then buys once; it is worthless to anyone else and spent after', async () => {
    const start = futureStart();
    const eventId = await roomEvent(start, 60);
    const other = await roomEvent(start, 60);
    await join(eventId, alice.id, at(start, -5));
    await join(other, alice.id, at(start, -5));
    await admitNext(deps(), at(start, 1));
    const status = await queueStatus(deps(), { eventId, userId: alice.id, staff: false }, at(start, 2));
    expect(status.state).toBe('admitted');
    const pass = status.pass!.token;

    // Another account, another event, a tampered pass: refused.
    for (const call of [
      () => callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A1'), pass }),
      () => callerFor(t.app, alice).tickets.reserve({ eventId: other, seats: seats('A1'), pass }),
      () => callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1'), pass: `${pass.slice(0, -2)}xx` }),
    ]) {
      expect((await failure(call())).data.reason).toBe('QUEUE_PASS_REQUIRED');
    }
    expect(await t.db.prisma.ticket.count({ where: { eventId, status: { not: 'AVAILABLE' } } })).toBe(0);

    // Real time is before the room's start here, so these calls run at the app's clock: the pass
    // is valid until its own times, which lie ahead.
    await callerFor(t.app, alice).inventory.seatMapCompact({ eventId, pass });
    await callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A1', 'A2'), pass });
    expect((await t.db.prisma.queueEntry.findFirstOrThrow({ where: { eventId, userId: alice.id } })).state).toBe('SHOPPING');
    const order = await callerFor(t.app, alice).tickets.purchase({ eventId, seats: seats('A1', 'A2'), idempotencyKey: crypto.randomUUID(), pass });
    expect(order.tickets).toHaveLength(2);
    expect((await t.db.prisma.queueEntry.findFirstOrThrow({ where: { eventId, userId: alice.id } })).state).toBe('DONE');
    // Spent: buying more means queueing again.
    const spent = await failure(callerFor(t.app, alice).tickets.reserve({ eventId, seats: seats('A3'), pass }));
    expect([spent.data.reason, spent.message]).toEqual([
      'QUEUE_PASS_REQUIRED',
      'Your admission pass was spent on your order: join the queue again to buy more.',
    ]);
    expect(await t.db.prisma.ticket.count({ where: { eventId, status: { not: 'AVAILABLE' } } })).toBe(2);
    // Joining again is a new place at the back.
    const again = await callerFor(t.app, alice).queue.join({ eventId });
    expect(again.state).toBe('waiting');
    expect(await t.db.prisma.queueEntry.count({ where: { eventId, userId: alice.id } })).toBe(2);
  });

  it('a live seat stream opened with a pass ends with the refusal once the pass runs out', { timeout: 30_000 }, async () => {
    const start = futureStart();
    const eventId = await roomEvent(start, 60);
    const shopper = await createUser(t);
    const token = (await signIn(t, shopper.email, shopper.password)).accessToken;
    await join(eventId, shopper.id, at(start, -5));
    await admitNext(deps(), at(start, 1));
    const pass = (await queueStatus(deps(), { eventId, userId: shopper.id, staff: false }, at(start, 2))).pass!.token;
    const url = (input: object) => `${t.url}/trpc/inventory.seatChanges?input=${encodeURIComponent(JSON.stringify(input))}`;
    const auth = { authorization: `Bearer ${token}` };

    const refusedWithout = await openSse(url({ eventId }), auth);
    const error = JSON.parse((await refusedWithout.next((e) => e.event === 'serialized-error')).data);
    refusedWithout.close();
    expect(error.data.reason).toBe('QUEUE_PASS_REQUIRED');

    // The pass is to be used within two seconds from now (the room's clock is days ahead in these tests).
    await t.db.prisma.queueEntry.updateMany({ where: { eventId, userId: shopper.id }, data: { useBy: new Date(Date.now() + 2000) } });
    const stream = await openSse(url({ eventId, pass }), auth);
    try {
      expect(JSON.parse((await stream.next((e) => e.event === 'message')).data).kind).toBe('map');
      // Unused, it runs out: the stream notices within seconds, and ends with the refusal.
      const ended = JSON.parse((await stream.next((e) => e.event === 'serialized-error', 15_000)).data);
      expect([ended.data.reason, ended.message]).toEqual([
        'QUEUE_PASS_REQUIRED',
        'Your admission pass has expired: join the queue again for a new place.',
      ]);
    } finally {
      stream.close();
    }
  });

  it('a waiting-list offer is its own turn: its seats are bought without a pass, and nothing else is', async () => {
    const eventId = await roomEvent(futureStart(), 10);
    const holdId = crypto.randomUUID();
    const soon = new Date(Date.now() + 30 * 60_000);
    await t.db.prisma.waitingEntry.create({
      data: { eventId, userId: bob.id, quantity: 2, status: 'OFFERED', holdId, offeredAt: new Date(), offerExpiresAt: soon },
    });
    await t.db.prisma.ticket.updateMany({
      where: { eventId, rowName: 'A', seatNumber: { in: [4, 5] } },
      data: { status: 'RESERVED', holdId, heldById: bob.id, holdExpiresAt: soon },
    });
    const buy = (user: typeof bob, labels: string[]) =>
      callerFor(t.app, user).tickets.purchase({ eventId, seats: seats(...labels), idempotencyKey: crypto.randomUUID() });

    // A seat beyond the offer, or someone else buying the offered seats: the room's rule holds.
    expect((await failure(buy(bob, ['A4', 'A5', 'A6']))).data.reason).toBe('QUEUE_PASS_REQUIRED');
    expect((await failure(buy(alice, ['A4', 'A5']))).data.reason).toBe('QUEUE_PASS_REQUIRED');
    expect(await t.db.prisma.ticket.count({ where: { eventId, status: 'SOLD' } })).toBe(0);

    const order = await buy(bob, ['A4', 'A5']);
    expect(order.tickets.map((ticket) => ticket.number)).toEqual([4, 5]);
    // Lapsed offers are no turn.
    await t.db.prisma.waitingEntry.updateMany({ where: { eventId, userId: bob.id }, data: { offerExpiresAt: new Date(Date.now() - 1000) } });
    await t.db.prisma.ticket.updateMany({
      where: { eventId, rowName: 'A', seatNumber: 6 },
      data: { status: 'RESERVED', holdId, heldById: bob.id, holdExpiresAt: soon },
    });
    expect((await failure(buy(bob, ['A6']))).data.reason).toBe('QUEUE_PASS_REQUIRED');
  });

  it('opening the doors lets everyone in without a pass', async () => {
    const eventId = await roomEvent(futureStart(), 10);
    expect((await failure(callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A5') }))).data.reason).toBe('QUEUE_PASS_REQUIRED');
    expect((await failure(callerFor(t.app, bob).queue.openDoors({ eventId }))).code).toBe('FORBIDDEN');
    expect(await callerFor(t.app, clerk).queue.openDoors({ eventId })).toMatchObject({ doorsOpen: true });
    await callerFor(t.app, bob).tickets.reserve({ eventId, seats: seats('A5') });
    expect((await callerFor(t.app, bob).queue.join({ eventId })).state).toBe('open');
  });
});

describe('waiting room: the order of the line', () => {
  it('early arrivals are drawn at random, later ones follow in arrival order, admitted at the rate; tabs never improve a place', async () => {
    const start = futureStart();
    const eventId = await roomEvent(start, 60);
    const early = await crowd(30);
    const late = await crowd(10);
    for (const [i, id] of early.entries()) {
      const status = await join(eventId, id, at(start, -60 + i));
      expect([status.state, status.position]).toEqual(['draw', null]);
    }
    // A second tab (or a refresh) returns the same place.
    const before = await t.db.prisma.queueEntry.findFirstOrThrow({ where: { eventId, userId: early[0] } });
    await join(eventId, early[0]!, at(start, -1));
    expect(await t.db.prisma.queueEntry.findMany({ where: { eventId, userId: early[0] } })).toEqual([before]);

    // The start: one a second (60 a minute); the line forms.
    await admitNext(deps(), at(start, 1));
    expect(await admittedIn(eventId)).toBe(1);
    for (const [i, id] of late.entries()) {
      const status = await join(eventId, id, at(start, 2 + i * 0.1));
      expect(status.state).toBe('waiting');
      expect(status.position).toBe(30 - 1 + i + 1);
      expect(status.estimatedWaitSeconds).toBe(status.position! * 1);
    }
    for (let s = 2; s <= 45; s++) await admitNext(deps(), at(start, s));
    const order = await admittedOrder(eventId);
    expect(order).toHaveLength(40);
    // Every early arrival before every later one; the early ones in a drawn order, not their arrival order.
    expect(new Set(order.slice(0, 30))).toEqual(new Set(early));
    expect(order.slice(0, 30)).not.toEqual(early);
    expect(order.slice(30)).toEqual(late);
    // Admitted at the rate: 45 s at 60 a minute, no more.
    const stats = await callerFor(t.app, clerk).queue.stats({ eventId });
    expect(stats.admitted + stats.lapsed).toBe(40);
  });

  it('a place falls as the line moves; an unused pass lapses and the place passes on to the next', async () => {
    const start = futureStart();
    // Six a minute: one every ten seconds, and at most one banked.
    const eventId = await roomEvent(start, 6);
    const [first, second, third] = await crowd(3);
    await admitNext(deps(), at(start, 0));
    for (const [i, id] of [first!, second!, third!].entries()) await join(eventId, id, at(start, 1 + i));
    const status = (id: string, seconds: number) => queueStatus(deps(), { eventId, userId: id, staff: false }, at(start, seconds));
    expect(await status(third!, 4)).toMatchObject({ state: 'waiting', position: 3, estimatedWaitSeconds: 30 });
    await admitNext(deps(), at(start, 10));
    expect((await status(first!, 10)).state).toBe('admitted');
    expect(await status(third!, 10)).toMatchObject({ state: 'waiting', position: 2 });

    // The first never uses the pass: it lapses PASS_USE_MINUTES later and gives its admission back,
    // so that step admits the one owed by the rate and the one given back.
    const lapseAt = 10 + PASS_USE_MINUTES * 60 + 1;
    await admitNext(deps(), at(start, lapseAt));
    expect(await admittedIn(eventId)).toBe(3);
    const states = await t.db.prisma.queueEntry.findMany({ where: { eventId }, orderBy: { place: 'asc' } });
    expect(states.map((e) => [e.userId, e.state])).toEqual([
      [first, 'LAPSED'],
      [second, 'ADMITTED'],
      [third, 'ADMITTED'],
    ]);
    const lapsed: QueueStatus = await status(first!, lapseAt);
    expect([lapsed.state, lapsed.pass]).toEqual(['lapsed', null]);
  });

  it('two admission steps at once (as from two instances) admit each shopper once', async () => {
    const start = futureStart();
    const eventId = await roomEvent(start, 600);
    const ids = await crowd(40);
    for (const [i, id] of ids.entries()) await join(eventId, id, at(start, -100 + i));
    await admitNext(deps(), at(start, 0));
    await Promise.all([admitNext(deps(), at(start, 2)), admitNext(deps(), at(start, 2)), admitNext(deps(), at(start, 2))]);
    // 600 a minute for 2 s: 20 admissions owed, made once whoever made them.
    expect(await t.db.prisma.queueEntry.count({ where: { eventId, state: 'ADMITTED' } })).toBe(20);
    expect((await t.db.prisma.waitingRoom.findUniqueOrThrow({ where: { eventId } })).admitted).toBe(20);
  });

  it('a join needs an account and a real event; the start cannot move once admission began', async () => {
    const start = futureStart();
    const eventId = await roomEvent(start, 60);
    expect((await failure(callerFor(t.app).queue.join({ eventId }))).code).toBe('UNAUTHORIZED');
    expect((await failure(callerFor(t.app, alice).queue.join({ eventId: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await failure(callerFor(t.app, alice).queue.join({ eventId: 'x' }))).code).toBe('BAD_REQUEST');
    // A draft's room is staff business: to shoppers the event does not exist.
    const draft = await createEventWithSeats(t.db, { status: 'DRAFT', rows: [['A', 2]] });
    await callerFor(t.app, clerk).queue.configure({ eventId: draft.eventId, startsAt: futureStart().toISOString(), ratePerMinute: 5 });
    expect((await failure(callerFor(t.app, alice).queue.join({ eventId: draft.eventId }))).code).toBe('NOT_FOUND');
    expect(await callerFor(t.app, alice).queue.settings({ eventId: draft.eventId })).toBeNull();
    expect(await callerFor(t.app, clerk).queue.settings({ eventId: draft.eventId })).toMatchObject({ ratePerMinute: 5 });
    expect(await t.db.prisma.queueEntry.count({ where: { eventId: draft.eventId } })).toBe(0);
    const [someone] = await crowd(1);
    await join(eventId, someone!, at(start, -1));
    await admitNext(deps(), at(start, 2));
    const moved = await failure(callerFor(t.app, clerk).queue.configure({ eventId, startsAt: at(start, 3600).toISOString(), ratePerMinute: 60 }));
    expect([moved.code, moved.data.reason]).toEqual(['CONFLICT', 'QUEUE_STARTED']);
    // The rate may change.
    expect((await callerFor(t.app, clerk).queue.configure({ eventId, startsAt: start.toISOString(), ratePerMinute: 120 })).ratePerMinute).toBe(120);
  });
});

describe('waiting room: the live place (queue.status over HTTP)', () => {
  it('each shopper sees their place fall as the line moves and is admitted with a pass that opens the seat map', async () => {
    const users = await Promise.all([createUser(t), createUser(t), createUser(t)]);
    const tokens = await Promise.all(users.map(async (u) => (await signIn(t, u.email, u.password)).accessToken));
    // Started a moment ago at one a minute: nobody is admitted for a while.
    const eventId = await roomEvent(new Date(Date.now() - 1000), 1);
    for (const token of tokens)
      expect((await callHttp(t, 'queue.join', { input: { eventId }, headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const streams: SseStream[] = [];
    const open = async (token: string) => {
      const stream = await openSse(`${t.url}/trpc/queue.status?input=${encodeURIComponent(JSON.stringify({ eventId }))}`, {
        authorization: `Bearer ${token}`,
      });
      streams.push(stream);
      expect(stream.status).toBe(200);
      return stream;
    };
    const next = async (stream: SseStream) => JSON.parse((await stream.next((e) => e.event === 'message', 15_000)).data) as QueueStatus;
    try {
      const third = await open(tokens[2]!);
      const secondTab = await open(tokens[2]!);
      expect(await next(third)).toMatchObject({ state: 'waiting', position: 3, waiting: 3 });
      expect(await next(secondTab)).toMatchObject({ state: 'waiting', position: 3 });
      // Staff speed the line up to one a second: the place falls, then the pass arrives.
      await callerFor(t.app, clerk).queue.configure({
        eventId,
        startsAt: (await callerFor(t.app).queue.settings({ eventId }))!.startsAt,
        ratePerMinute: 60,
      });
      const seen: QueueStatus[] = [];
      for (;;) {
        const status = await next(third);
        seen.push(status);
        if (status.state !== 'waiting') break;
      }
      expect(seen.at(-1)!.state).toBe('admitted');
      expect(seen.filter((s) => s.state === 'waiting').map((s) => s.position)).toEqual(expect.arrayContaining([1]));
      const pass = seen.at(-1)!.pass!.token;
      // The pass opens the seat map for its holder, not for someone else.
      const mine = await callHttp(t, 'inventory.seatMapCompact', {
        method: 'GET',
        input: { eventId, pass },
        headers: { authorization: `Bearer ${tokens[2]}` },
      });
      expect(mine.status).toBe(200);
      const theirs = await callHttp(t, 'inventory.seatMapCompact', {
        method: 'GET',
        input: { eventId, pass },
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
      expect([theirs.status, theirs.body.error?.data?.reason]).toEqual([403, 'QUEUE_PASS_REQUIRED']);
      const anonymous = await callHttp(t, 'inventory.seatMapCompact', { method: 'GET', input: { eventId } });
      expect(anonymous.status).toBe(401);
    } finally {
      for (const s of streams) s.close();
    }
  }, 60_000);

  it('a stream needs an account and a real event', async () => {
    const anonymous = await openSse(`${t.url}/trpc/queue.status?input=${encodeURIComponent(JSON.stringify({ eventId: crypto.randomUUID() }))}`);
    try {
      const first = await anonymous.next((e) => e.event !== 'connected', 5_000);
      expect(first.event).toBe('serialized-error');
      expect(JSON.parse(first.data)).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    } finally {
      anonymous.close();
    }
  });
});
