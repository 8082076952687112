import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedEnvelope } from '@trpc/server';
import { seatChangesOf, type SeatChangesMessage } from '../../../shared/live-seats.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { createEventWithSeats } from '../../../test/inventory-fixtures.js';
import { databaseDeps } from '../../db/database.js';
import { createLiveSeats, type LiveSeats } from './live-seats.js';
import { createSeatMaps } from './seat-map.js';
import { createUser } from '../../../test/users.js';
import { testConfig } from '../../../test/config.js';

/**
 * The follower and its streams without HTTP (the tRPC stream over HTTP is tested in
 * routers/inventory/live-seats.test.ts): keep-alives for quiet streams, and one text per step for
 * every viewer who owns none of its seats.
 */
let db: TestDatabase;
let live: LiveSeats;
let holder: string;
const errors: unknown[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  holder = (await createUser({ ...databaseDeps(db), config: testConfig() })).id;
  live = createLiveSeats({ seatMaps: createSeatMaps(), onError: (e) => errors.push(e), followMs: 50, keepAliveMs: 400 });
});
afterAll(async () => {
  live.stop();
  await db.close();
});

/** Holds seats of row A straight in SQL, as any writer on any instance may. */
const hold = (eventId: string, numbers: number[]) =>
  db.query(
    `UPDATE "Ticket" SET status = 'RESERVED', "holdId" = gen_random_uuid(), "heldById" = $3::uuid, "holdExpiresAt" = (now() AT TIME ZONE 'UTC') + interval '1 hour'
     WHERE "eventId" = $1::uuid AND "rowName" = 'A' AND "seatNumber" = ANY($2::int[])`,
    [eventId, numbers, holder],
  );

type Stream = AsyncGenerator<TrackedEnvelope<SeatChangesMessage>, void, unknown>;
const next = async (stream: Stream, ms = 5_000): Promise<SeatChangesMessage> => {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms));
  const step = await Promise.race([stream.next(), timeout]);
  if (step.done) throw new Error('the stream ended');
  const [id, message] = step.value;
  expect(id).toBe(message.version);
  return message;
};

describe('live seat streams', () => {
  it('sends a quiet stream an empty message at the map version it has, and only once it has been quiet', { timeout: 30_000 }, async () => {
    const { eventId } = await createEventWithSeats(db, { rows: [['A', 4]] });
    const controller = new AbortController();
    const request = { eventId, viewerId: null, staff: false, holdMinutes: 10 };
    const stream = await live.open(databaseDeps(db), { ...request, lastEventId: null }, controller.signal);
    const first = await next(stream);
    expect(first.kind).toBe('map');

    const started = Date.now();
    const quiet = await next(stream);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(quiet).toEqual({ kind: 'changes', eventId, version: first.version, rows: [] });

    // A real change goes out at once, and resets the quiet time.
    await hold(eventId, [2]);
    const changed = await next(stream);
    expect(changed.kind).toBe('changes');
    if (changed.kind === 'changes') expect(seatChangesOf(changed.rows)).toEqual([{ row: 'A', number: 2, status: 'R', mine: false }]);
    controller.abort();
    await stream.return();
    expect(errors).toEqual([]);
  });

  it('gives every viewer who holds none of the changed seats the very same rows', { timeout: 30_000 }, async () => {
    const { eventId } = await createEventWithSeats(db, { rows: [['A', 4]] });
    const request = { eventId, viewerId: null, staff: false, holdMinutes: 10 };
    const streams: Stream[] = [];
    for (let i = 0; i < 3; i++) {
      const stream = await live.open(databaseDeps(db), { ...request, lastEventId: null }, undefined);
      expect((await next(stream)).kind).toBe('map');
      streams.push(stream);
    }
    await hold(eventId, [1, 3]);
    const messages = await Promise.all(streams.map((s) => next(s)));
    const rows = messages.map((m) => (m.kind === 'changes' ? m.rows : null));
    expect(rows[0]).toEqual([['A', '1R3R']]);
    expect(rows[1]).toBe(rows[0]);
    expect(rows[2]).toBe(rows[0]);
    for (const stream of streams) await stream.return();
  });
});
