import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { applySeatChanges, compareVersions, type SeatChangesMessage } from '../../../shared/live-seats.js';
import type { CompactSeatMap } from '../../../shared/seat-map.js';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { createEventWithSeats } from '../../../test/inventory-fixtures.js';
import { openSse, type SseEvent, type SseStream } from '../../../test/sse.js';
import { callHttp, createUser, signIn } from '../../../test/users.js';

/**
 * Live seat updates over real HTTP (server-sent events), with two app instances on one database:
 * what one instance commits reaches the streams of the other, and a stream opened with an old
 * version catches up exactly.
 */
let a: TestApp;
let b: TestApp;
let alice: string;
let bob: string;
let bobId: string;
const streams: SseStream[] = [];

beforeAll(async () => {
  a = await startTestApp({ config: { logLevel: 'warn' } });
  b = await startTestApp({ db: a.db, config: { logLevel: 'warn' } });
  const [u1, u2] = await Promise.all([createUser(a), createUser(a)]);
  alice = (await signIn(a, u1.email, u1.password)).accessToken;
  bob = (await signIn(b, u2.email, u2.password)).accessToken;
  bobId = u2.id;
}, 60_000);
afterAll(async () => {
  for (const s of streams) s.close();
  await b?.close();
  await a?.close();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const seats = (...names: string[]) => names.map((n) => ({ row: n[0]!, number: Number(n.slice(1)) }));

async function compactMap(t: TestApp, eventId: string, token?: string): Promise<CompactSeatMap> {
  const res = await callHttp(t, 'inventory.seatMapCompact', { method: 'GET', input: { eventId }, headers: token ? as(token) : {} });
  expect(res.status).toBe(200);
  return res.body.result.data as CompactSeatMap;
}

async function subscribe(t: TestApp, input: { eventId: string; lastEventId?: string | null }, token?: string): Promise<SseStream> {
  const stream = await openSse(`${t.url}/trpc/inventory.seatChanges?input=${encodeURIComponent(JSON.stringify(input))}`, token ? as(token) : {});
  streams.push(stream);
  return stream;
}

const isMessage = (e: SseEvent) => e.event === 'message';
const parse = (e: SseEvent) => JSON.parse(e.data) as SeatChangesMessage;

/** Reads messages until `done` holds for the map they build from `map`. */
async function follow(stream: SseStream, map: CompactSeatMap, done: (map: CompactSeatMap) => boolean, timeoutMs = 10_000) {
  let current = map;
  const deadline = Date.now() + timeoutMs;
  while (!done(current)) {
    const event = await stream.next(isMessage, Math.max(1, deadline - Date.now()));
    const message = parse(event);
    expect(event.id).toBe(message.version);
    current = applySeatChanges(current, message) ?? current;
  }
  return current;
}

const statusOf = (map: CompactSeatMap, seat: string) => {
  const row = map.rows.find((r) => r.name === seat[0])!;
  return row.status[Number(seat.slice(1)) - (row.first ?? 1)];
};
const mineOf = (map: CompactSeatMap) => map.mine.map((s) => `${s.row}${s.number}`).sort();
const statuses = (map: CompactSeatMap) => map.rows.map((r) => `${r.name}:${r.status}`);

describe('inventory.seatChanges', () => {
  it('sends what another instance commits, with mine for the holder, and a version that only grows', { timeout: 60_000 }, async () => {
    const { eventId } = await createEventWithSeats(a.db, {
      rows: [
        ['A', 10],
        ['B', 10],
      ],
    });
    const start = await compactMap(a, eventId);
    const anonymous = await subscribe(a, { eventId, lastEventId: start.version });
    expect(anonymous.status).toBe(200);
    expect((await anonymous.next()).event).toBe('connected');
    const own = await subscribe(a, { eventId, lastEventId: start.version }, bob);

    const held = await callHttp(b, 'tickets.reserve', { input: { eventId, seats: seats('A3', 'A4') }, headers: as(bob) });
    expect(held.status).toBe(200);
    const seen = await follow(anonymous, start, (m) => statusOf(m, 'A3') === 'R' && statusOf(m, 'A4') === 'R');
    expect(mineOf(seen)).toEqual([]);
    expect(compareVersions(seen.version, start.version)).toBeGreaterThan(0);
    const bobs = await follow(own, start, (m) => statusOf(m, 'A3') === 'R' && statusOf(m, 'A4') === 'R');
    expect(mineOf(bobs)).toEqual(['A3', 'A4']);

    // Bought on instance A by Alice, released on B by Bob: both reach a stream on B.
    const onB = await subscribe(b, { eventId, lastEventId: seen.version });
    const bought = await callHttp(a, 'tickets.purchase', {
      input: { eventId, seats: seats('B1'), idempotencyKey: crypto.randomUUID() },
      headers: as(alice),
    });
    expect(bought.status).toBe(200);
    expect((await callHttp(b, 'tickets.release', { input: { eventId, seats: seats('A3') }, headers: as(bob) })).status).toBe(200);
    const after = await follow(onB, seen, (m) => statusOf(m, 'B1') === 'S' && statusOf(m, 'A3') === 'A');
    expect(statusOf(after, 'A4')).toBe('R');
    // What the stream built is exactly the map read fresh.
    expect(statuses(after)).toEqual(statuses(await compactMap(b, eventId)));
  });

  it('a stream opened with an old version catches up exactly; without one it starts from the whole map', { timeout: 60_000 }, async () => {
    const { eventId } = await createEventWithSeats(a.db, { rows: [['A', 12]] });
    const old = await compactMap(b, eventId, alice);
    // Keep the event followed on both instances while it changes, so their histories hold the steps.
    const watcherA = await subscribe(a, { eventId, lastEventId: old.version });
    const watcherB = await subscribe(b, { eventId, lastEventId: old.version });
    expect((await callHttp(a, 'tickets.reserve', { input: { eventId, seats: seats('A1', 'A2') }, headers: as(alice) })).status).toBe(200);
    await follow(watcherA, old, (m) => statusOf(m, 'A2') === 'R');
    expect((await callHttp(b, 'tickets.reserve', { input: { eventId, seats: seats('A7') }, headers: as(bob) })).status).toBe(200);
    expect((await callHttp(a, 'tickets.release', { input: { eventId, seats: seats('A1') }, headers: as(alice) })).status).toBe(200);
    const now = await compactMap(b, eventId, alice);
    await follow(watcherB, old, (m) => compareVersions(m.version, now.version) >= 0);

    for (const instance of [a, b]) {
      const late = await subscribe(instance, { eventId, lastEventId: old.version }, alice);
      const caughtUp = await follow(late, old, (m) => compareVersions(m.version, now.version) >= 0);
      expect(statuses(caughtUp)).toEqual(statuses(now));
      expect(mineOf(caughtUp)).toEqual(['A2']);
      expect(statusOf(caughtUp, 'A7')).toBe('R');
    }

    const fresh = await subscribe(a, { eventId }, alice);
    const first = parse(await fresh.next(isMessage));
    expect(first.kind).toBe('map');
    if (first.kind === 'map') {
      expect(statuses(first.map)).toEqual(statuses(now));
      expect(mineOf(first.map)).toEqual(['A2']);
      expect(first.map.version).toBe(first.version);
    }
  });

  it('a seat that passes straight from one holder to another is sent again, mine for the new holder only', { timeout: 60_000 }, async () => {
    const { eventId } = await createEventWithSeats(a.db, { rows: [['A', 6]] });
    expect((await callHttp(a, 'tickets.reserve', { input: { eventId, seats: seats('A5') }, headers: as(alice) })).status).toBe(200);
    const [alices, bobs] = await Promise.all([compactMap(a, eventId, alice), compactMap(a, eventId, bob)]);
    expect([mineOf(alices), mineOf(bobs)]).toEqual([['A5'], []]);
    const aliceStream = await subscribe(a, { eventId, lastEventId: alices.version }, alice);
    const bobStream = await subscribe(b, { eventId, lastEventId: bobs.version }, bob);
    for (const stream of [aliceStream, bobStream]) expect((await stream.next()).event).toBe('connected');
    // One statement, so no reader can see the seat free in between: its letter stays R throughout.
    await a.db.query(
      `UPDATE "Ticket" SET "holdId" = gen_random_uuid(), "heldById" = $2::uuid WHERE "eventId" = $1::uuid AND "rowName" = 'A' AND "seatNumber" = 5`,
      [eventId, bobId],
    );
    const after = await compactMap(a, eventId);
    const done = (m: CompactSeatMap) => compareVersions(m.version, after.version) >= 0;
    const [aliceNow, bobNow] = await Promise.all([follow(aliceStream, alices, done), follow(bobStream, bobs, done)]);
    expect([statusOf(aliceNow, 'A5'), statusOf(bobNow, 'A5')]).toEqual(['R', 'R']);
    expect(mineOf(aliceNow)).toEqual([]);
    expect(mineOf(bobNow)).toEqual(['A5']);
  });

  it(
    'refuses bad input (BAD_REQUEST in the stream) and a draft to anyone but staff with NOT_FOUND, changing nothing',
    { timeout: 30_000 },
    async () => {
      const { eventId } = await createEventWithSeats(a.db, { rows: [['A', 3]] });
      const before = await compactMap(a, eventId);
      // A subscription answers in its stream: the error is its one event, and the stream ends.
      for (const input of [{ eventId: 'nope' }, { eventId, lastEventId: 'abc' }, { eventId, lastEventId: '1'.repeat(31) }]) {
        const refused = await subscribe(a, input);
        const error = JSON.parse((await refused.next((e) => e.event === 'serialized-error')).data);
        expect(error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'INVALID_INPUT' });
      }
      const draft = await createEventWithSeats(a.db, { rows: [['A', 3]], status: 'DRAFT' });
      const refused = await subscribe(a, { eventId: draft.eventId });
      const error = await refused.next((e) => e.event === 'serialized-error');
      expect(JSON.parse(error.data).data.code).toBe('NOT_FOUND');
      expect(statuses(await compactMap(a, eventId))).toEqual(statuses(before));
      expect((await compactMap(a, eventId)).version).toBe(before.version);
    },
  );
});
